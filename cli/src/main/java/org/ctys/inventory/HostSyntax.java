package org.ctys.inventory;

import java.util.regex.Pattern;
import org.ctys.grammar.Names;

/**
 * What the inventory accepts where it names a host, a jump host or a network interface. Host
 * names and IPv4 addresses follow the command line's target grammar ({@link Names}); IPv6
 * literals are checked here by their text alone (RFC 4291 section 2.2, with an optional
 * {@code %zone}), never by a lookup, so reading the inventory sends nothing.
 */
final class HostSyntax {

    static final String HOST_FORM = "a host name (letters, digits, '-' and '_', dots between labels), an IPv4"
            + " address such as 192.168.3.11, or an IPv6 address such as fe80::1 or [fe80::1]";
    static final String JUMP_FORM = "[USER@]HOST[:PORT], HOST being a host name, an IPv4 address, or an IPv6"
            + " address in brackets such as [fe80::1]:22";
    static final String INTERFACE_FORM = "an interface name of up to 15 letters, digits, '.', ':', '-' and '_',"
            + " not starting with '-'";

    private static final Pattern HEX16 = Pattern.compile("[0-9A-Fa-f]{1,4}");
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9._-]{1,15}");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.:][A-Za-z0-9_.:-]{0,14}");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    private HostSyntax() {}

    /** The host as ctys uses it (an IPv6 literal without its brackets), or null when {@code text} is none. */
    static String host(String text) {
        if (text == null || text.isEmpty()) return null;
        if (text.charAt(0) == '[' && text.charAt(text.length() - 1) == ']') {
            String inner = text.substring(1, text.length() - 1);
            return isIpv6(inner) ? inner : null;
        }
        if (Names.isHost(text) || isIpv6(text)) return text;
        return null;
    }

    /**
     * An IPv6 address as text: eight groups of up to four hex digits, one {@code ::} standing for
     * the groups left out, the last two groups optionally as an IPv4 address, then optionally
     * {@code %zone}.
     */
    static boolean isIpv6(String text) {
        String address = text;
        int percent = text.indexOf('%');
        if (percent >= 0) {
            if (!ZONE.matcher(text.substring(percent + 1)).matches()) return false;
            address = text.substring(0, percent);
        }
        if (address.length() < 2 || address.length() > 45 || address.indexOf(':') < 0) return false;
        int gap = address.indexOf("::");
        if (gap >= 0 && address.indexOf("::", gap + 1) >= 0) return false;
        String[] sides = gap < 0 ? new String[] {address} : new String[] {address.substring(0, gap), address.substring(gap + 2)};
        int groups = 0;
        for (int s = 0; s < sides.length; s++) {
            if (sides[s].isEmpty()) continue;
            String[] parts = sides[s].split(":", -1);
            for (int p = 0; p < parts.length; p++) {
                boolean last = s == sides.length - 1 && p == parts.length - 1;
                if (last && parts[p].indexOf('.') >= 0) {
                    if (!Names.isIpv4(parts[p])) return false;
                    groups += 2;
                } else if (HEX16.matcher(parts[p]).matches()) {
                    groups++;
                } else {
                    return false;
                }
            }
        }
        return gap >= 0 ? groups <= 7 : groups == 8;
    }

    /** A jump host as OpenSSH's -J writes it: {@code [USER@]HOST[:PORT]}, an IPv6 host in brackets. */
    static boolean isJump(String text) {
        String rest = text;
        int at = text.indexOf('@');
        if (at >= 0) {
            if (!Names.isUser(text.substring(0, at))) return false;
            rest = text.substring(at + 1);
        }
        String host = rest;
        String port = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0 || !isIpv6(rest.substring(1, close))) return false;
            String after = rest.substring(close + 1);
            if (after.isEmpty()) return true;
            if (after.charAt(0) != ':') return false;
            port = after.substring(1);
        } else {
            int colon = rest.indexOf(':');
            if (colon >= 0) {
                host = rest.substring(0, colon);
                port = rest.substring(colon + 1);
            }
            // An unbracketed IPv6 address is refused: "fe80::1:22" could be a port or a group.
            if (!Names.isHost(host)) return false;
        }
        return port == null || PORT.matcher(port).matches() && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
    }

    static boolean isInterface(String text) {
        return text != null && INTERFACE.matcher(text).matches() && !text.equals(".") && !text.equals("..");
    }
}
