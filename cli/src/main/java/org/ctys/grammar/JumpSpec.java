package org.ctys.grammar;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One jump host as OpenSSH's {@code -J} and ProxyJump write it: {@code [user@]host[:port]}. An
 * IPv6 literal takes a port only in brackets ({@code [::1]:2222}, {@code user@[fe80::1%eth0]:22});
 * unbracketed ({@code ::1}) it has none. The host is kept bare, without brackets.
 *
 * @param port null when not given
 */
public record JumpSpec(String user, String host, Integer port) {

    private static final String USER = "[A-Za-z0-9._][A-Za-z0-9._-]*";
    private static final String NAME = "[A-Za-z0-9_][A-Za-z0-9._-]*";
    /** An IPv6 literal (two colons at least), possibly with an IPv4 tail and a zone (scope) after {@code %}. */
    private static final String V6 = "[0-9A-Fa-f]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(?:%[A-Za-z0-9._-]+)?";
    private static final Pattern FORM = Pattern.compile(
            "(?:(" + USER + ")@)?(?:\\[(" + V6 + "|" + NAME + ")\\](?::(\\d{1,5}))?|(" + V6 + ")|(" + NAME + ")(?::(\\d{1,5}))?)");

    /** The form, for messages. */
    public static final String FORM_TEXT = "[USER@]HOST[:PORT], an IPv6 address as [ADDR]:PORT or bare without a port";

    /** The parsed spec, or null when it is not one (-J, the inventory's jump hosts, ProxyJump). */
    public static JumpSpec parseOrNull(String spec) {
        Matcher m = FORM.matcher(spec.strip());
        if (!m.matches()) {
            return null;
        }
        String host = m.group(2) != null ? m.group(2) : m.group(4) != null ? m.group(4) : m.group(5);
        if (host.indexOf(':') >= 0 ? !Names.isIpv6(host) : !Names.isHost(host)) {
            return null;
        }
        if (m.group(1) != null && !Names.isUser(m.group(1))) {
            return null;
        }
        String port = m.group(3) != null ? m.group(3) : m.group(6);
        Integer p = null;
        if (port != null) {
            p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                return null;
            }
        }
        return new JumpSpec(m.group(1), host, p);
    }
}
