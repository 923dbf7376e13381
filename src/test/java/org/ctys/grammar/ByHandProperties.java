package org.ctys.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * MACs, host names and IPv4 addresses are read by hand (an inventory of 10,000 machines reads
 * 10,000 of each in a JVM that has compiled nothing yet); they must accept exactly what the
 * regular expressions they replaced accepted, which are kept here as the reference.
 */
class ByHandProperties {
    private static final Pattern COLONS = Pattern.compile("(?i)[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}");
    private static final Pattern DASHES = Pattern.compile("(?i)[0-9a-f]{1,2}(-[0-9a-f]{1,2}){5}");
    private static final Pattern DOTS = Pattern.compile("(?i)[0-9a-f]{4}\\.[0-9a-f]{4}\\.[0-9a-f]{4}");
    private static final Pattern BARE = Pattern.compile("(?i)[0-9a-f]{12}");
    private static final Pattern DOTTED = Pattern.compile("[0-9.]+");
    /** Numbers without leading zeros (inet_aton would read them as octal). */
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9]\\d{0,2})\\.(0|[1-9]\\d{0,2})\\.(0|[1-9]\\d{0,2})\\.(0|[1-9]\\d{0,2})");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");

    private static String referenceMac(String text) {
        String hex;
        if (COLONS.matcher(text).matches() || DASHES.matcher(text).matches()) {
            StringBuilder b = new StringBuilder(12);
            for (String part : text.split("[:-]")) b.append(part.length() == 1 ? "0" + part : part);
            hex = b.toString();
        } else if (DOTS.matcher(text).matches()) {
            hex = text.replace(".", "");
        } else if (BARE.matcher(text).matches()) {
            hex = text;
        } else {
            return null;
        }
        return HexFormat.ofDelimiter(":").formatHex(HexFormat.of().parseHex(hex));
    }

    private static boolean referenceIpv4(String s) {
        var m = IPV4.matcher(s);
        if (!m.matches()) return false;
        for (int i = 1; i <= 4; i++) if (Integer.parseInt(m.group(i)) > 255) return false;
        return true;
    }

    private static boolean referenceHost(String s) {
        if (s.isEmpty() || s.length() > 253) return false;
        if (DOTTED.matcher(s).matches()) return referenceIpv4(s);
        for (String label : s.split("\\.", -1)) if (!LABEL.matcher(label).matches()) return false;
        return true;
    }

    @Provide
    Arbitrary<String> macLike() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789abcdefABCDEF:-.g ").ofMaxLength(20),
                // the well-formed shapes, some with a character changed
                Arbitraries.strings().withChars("0123456789abcdefAF").ofMinLength(1).ofMaxLength(2).list().ofMinSize(4)
                        .ofMaxSize(7).flatMap(parts -> Arbitraries.of(":", "-", ".").map(sep -> String.join(sep, parts))),
                Arbitraries.strings().withChars("0123456789abcdefAF.:").ofMinLength(11).ofMaxLength(15));
    }

    @Property(tries = 3000)
    void macsAreReadAsTheRegularExpressionsReadThem(@ForAll("macLike") String text) {
        Mac mac = Mac.tryParse(text);
        assertThat(mac == null ? null : mac.toString()).as(text).isEqualTo(referenceMac(text));
    }

    @Provide
    Arbitrary<String> hostLike() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789.").ofMaxLength(20),
                Arbitraries.strings().withChars("ab0_-.Z9:@").ofMaxLength(20),
                Arbitraries.strings().withChars("a-.").ofMinLength(60).ofMaxLength(70),
                Arbitraries.strings().withChars("a.").ofMinLength(250).ofMaxLength(256),
                Arbitraries.integers().between(0, 1200).list().ofMinSize(1).ofMaxSize(5)
                        .map(l -> String.join(".", l.stream().map(String::valueOf).toList())));
    }

    @Property(tries = 3000)
    void hostsAndIpv4AreReadAsTheRegularExpressionsReadThem(@ForAll("hostLike") String text) {
        assertThat(Names.isHost(text)).as(text).isEqualTo(referenceHost(text));
        assertThat(Names.isIpv4(text)).as(text).isEqualTo(referenceIpv4(text));
    }
}
