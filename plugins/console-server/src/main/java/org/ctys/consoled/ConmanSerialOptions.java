package org.ctys.consoled;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * conman's {@code seropts="bps[,databits[parity[stopbits]]]"}, read as conmand's sscanf("%d,%d%c%d")
 * does: what is left out keeps the value it had (the global seropts, else 9600,8n1).
 */
record ConmanSerialOptions(int bps, int dataBits, char parity, int stopBits) {

    static final ConmanSerialOptions DEFAULT = new ConmanSerialOptions(9600, 8, 'n', 1);

    private static final Pattern FORM = Pattern.compile(
            "\\s*([+-]?\\d+)(?:,\\s*([+-]?\\d+)(?:(\\S)(?:\\s*([+-]?\\d+))?)?)?.*", Pattern.DOTALL);

    /** @throws IllegalArgumentException with what is wrong */
    ConmanSerialOptions with(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("seropts \"" + text + "\" is not bps[,databits[parity[stopbits]]], such as 115200,8n1");
        int b = number(m.group(1), "bps");
        if (b <= 0) throw new IllegalArgumentException("seropts \"" + text + "\": bps must be greater than 0");
        int d = m.group(2) == null ? dataBits : number(m.group(2), "databits");
        if (d < 5 || d > 8) throw new IllegalArgumentException("seropts \"" + text + "\": databits must be 5 to 8");
        char p = parity;
        if (m.group(3) != null) {
            p = Character.toLowerCase(m.group(3).charAt(0));
            if (p != 'n' && p != 'o' && p != 'e') throw new IllegalArgumentException("seropts \"" + text + "\": parity must be N, O or E");
        }
        int s = m.group(4) == null ? stopBits : number(m.group(4), "stopbits");
        if (m.group(3) != null && m.group(4) != null && (s < 1 || s > 2)) {
            throw new IllegalArgumentException("seropts \"" + text + "\": stopbits must be 1 or 2");
        }
        return new ConmanSerialOptions(b, d, p, s);
    }

    private static int number(String s, String what) {
        try {
            return Integer.parseInt(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " " + s + " is too large");
        }
    }

    String parityWord() {
        return switch (parity) {
            case 'e' -> "even";
            case 'o' -> "odd";
            default -> "none";
        };
    }
}
