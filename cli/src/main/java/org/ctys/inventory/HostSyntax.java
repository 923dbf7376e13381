package org.ctys.inventory;

import java.util.regex.Pattern;
import org.ctys.grammar.JumpSpec;
import org.ctys.grammar.Names;

/**
 * What the inventory accepts where it names a host, a jump host or a network interface. Host
 * names and IPv4 addresses follow the command line's target grammar ({@link Names}); IPv6
 * literals by their text alone ({@link Names#isIpv6}), never by a lookup, so reading the
 * inventory sends nothing.
 */
final class HostSyntax {

    static final String HOST_FORM = "a host name (letters, digits, '-' and '_', dots between labels), an IPv4"
            + " address such as 192.168.3.11 (no leading zeros), or an IPv6 address such as fe80::1 or [fe80::1]";
    static final String JUMP_FORM = "[USER@]HOST[:PORT], HOST being a host name, an IPv4 address, or an IPv6"
            + " address in brackets such as [fe80::1]:22";
    static final String INTERFACE_FORM = "an interface name of up to 15 letters, digits, '.', ':', '-' and '_',"
            + " not starting with '-'";

    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.:][A-Za-z0-9_.:-]{0,14}");

    private HostSyntax() {}

    /** The host as ctys uses it (an IPv6 literal without its brackets), or null when {@code text} is none. */
    static String host(String text) {
        return Names.host(text);
    }

    /** A jump host as -J takes it ({@link JumpSpec}): one rule for the command line, the inventory and ssh_config. */
    static boolean isJump(String text) {
        return JumpSpec.parseOrNull(text) != null;
    }

    static boolean isInterface(String text) {
        return text != null && INTERFACE.matcher(text).matches() && !text.equals(".") && !text.equals("..");
    }
}
