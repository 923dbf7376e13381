package org.ctys.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** IPv6 literals as the JDK's own parser reads them (it never asks DNS for text holding a ':'). */
class NamesTest {

    @Test
    void ipv6AsRfc4291WritesIt() {
        for (String ok : new String[] {"::", "::1", "1::", "fe80::1%eth0", "fe80::1%3", "2001:db8:0:0:0:0:2:1",
                "2001:db8::2:1", "::ffff:192.0.2.128", "1:2:3:4:5:6:1.2.3.4", "FFFF::abcd"}) {
            assertThat(Names.isIpv6(ok)).as(ok).isTrue();
        }
        for (String bad : new String[] {"", ":", ":::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::",
                "g::1", "::1%", "::1%a b", "1.2.3.4", "::1.2.3", "1.2.3.4::", "[::1]", "fe80::1%waytoolonginterface0",
                "::0000.0.0.0", "::01.2.3.4"}) {
            assertThat(Names.isIpv6(bad)).as(bad).isFalse();
        }
        assertThat(Names.bracketedIpv6("[fe80::1%v0]")).isEqualTo("fe80::1%v0");
        assertThat(Names.bracketedIpv6("[lab01]")).isNull();
        assertThat(Names.isHostOrIpv6("::1")).isTrue();
        assertThat(Names.isHostOrIpv6("lab01")).isTrue();
        assertThat(Names.isHost("::1")).isFalse();
    }

    /** "010.1.1.1" is 10.1.1.1 to Java and 8.1.1.1 to inet_aton (ssh, ping): no address at all. */
    @Test
    void ipv4WithoutLeadingZeros() {
        for (String ok : new String[] {"0.0.0.0", "10.0.0.1", "192.168.100.255", "1.2.3.4"}) {
            assertThat(Names.isIpv4(ok)).as(ok).isTrue();
            assertThat(Names.isHost(ok)).as(ok).isTrue();
        }
        for (String bad : new String[] {"010.1.1.1", "10.01.1.1", "1.2.3.04", "00.0.0.0", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3"}) {
            assertThat(Names.isIpv4(bad)).as(bad).isFalse();
            assertThat(Names.isHost(bad)).as(bad).isFalse();
        }
    }

    @Provide
    Arbitrary<String> ipv6ish() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789abcdefABCDEF:.").ofMinLength(1).ofMaxLength(45),
                Arbitraries.strings().withChars("01f:.").ofMinLength(1).ofMaxLength(20),
                Arbitraries.integers().between(0, 0xffff).list().ofMinSize(1).ofMaxSize(9)
                        .map(l -> String.join(":", l.stream().map(Integer::toHexString).toList()))
                        .flatMap(s -> Arbitraries.of(s, "::" + s, s + "::", s.replaceFirst(":", "::"), s + ":1.2.3.4")));
    }

    @Property(tries = 3000)
    void agreesWithTheJdk(@ForAll("ipv6ish") String text) {
        // the JDK takes text holding ':' that starts with a hex digit or ':' as a literal, never asking DNS
        if (!text.contains(":") || !(text.charAt(0) == ':' || Character.digit(text.charAt(0), 16) >= 0)) return;
        // the JDK also takes five or more hex digits with leading zeros ("00000::"); RFC 4291, glibc's
        // inet_pton and so OpenSSH take one to four
        if (java.util.regex.Pattern.compile("[0-9a-fA-F]{5}").matcher(text).find()) {
            assertThat(Names.isIpv6(text)).as(text).isFalse();
            return;
        }
        // and an IPv4 part with numbers of four digits ("::0000.0.0.0"), which glibc's inet_pton refuses
        String last = text.substring(text.lastIndexOf(':') + 1);
        // or with a leading zero ("::01.2.3.4"), which glibc's inet_pton refuses too
        if (last.contains(".") && java.util.Arrays.stream(last.split("\\.")).anyMatch(o -> o.length() > 3 || o.length() > 1 && o.startsWith("0"))) {
            assertThat(Names.isIpv6(text)).as(text).isFalse();
            return;
        }
        boolean jdk;
        try {
            // an IPv4-mapped address (::ffff:0:2) comes back as an Inet4Address; it is an IPv6 literal all the same
            jdk = InetAddress.getByName(text) != null;
        } catch (UnknownHostException e) {
            jdk = false;
        }
        assertThat(Names.isIpv6(text)).as(text).isEqualTo(jdk);
    }
}
