package org.ctys.transport.ssh.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Text of the front door's one-line events: what a client sent is shown, never trusted to format the log. */
final class Events {
    private static final int LONGEST = 80;

    private Events() {
    }

    /**
     * A client-chosen word (login name, command) safe for a log line: control characters (a newline
     * would forge a second log line) shown as '?', cut after {@link #LONGEST} characters.
     */
    static String printable(String text) {
        if (text == null) return "?";
        StringBuilder b = new StringBuilder(Math.min(text.length(), LONGEST + 3));
        for (int i = 0; i < text.length() && i < LONGEST; i++) {
            char c = text.charAt(i);
            b.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c);
        }
        if (text.length() > LONGEST) b.append("...");
        return b.toString();
    }

    /** 127.0.0.1:5555, [::1]:5555. */
    static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress a && a.getAddress() != null) {
            String host = a.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
        }
        return String.valueOf(address);
    }
}
