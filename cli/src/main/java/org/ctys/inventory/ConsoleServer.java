package org.ctys.inventory;

import org.ctys.grammar.Names;

/**
 * Where a console server (ctys-consoled) takes SSH logins: {@code [USER@]HOST[:PORT]}, as the
 * inventory's top-level {@code console-server:} and {@code -t console}'s {@code SERVER:} write it.
 *
 * @param user the login name (the console server's user), or null: -l, the inventory's ssh user of
 *             that host, the SSH config, the local user
 * @param host a host name or address (an IPv6 address without brackets)
 * @param port the console server's SSH port, or null for {@link #DEFAULT_PORT}
 */
public record ConsoleServer(String user, String host, Integer port) {

    /** The console server's own SSH port (its front door), not the host's sshd. */
    public static final int DEFAULT_PORT = 7022;

    public static final String FORM = "[USER@]HOST[:PORT], e.g. consoles.example, alice@consoles.example:7022 or [2001:db8::7]:7022";

    /** The port the server is reached at. */
    public int portOrDefault() { return port == null ? DEFAULT_PORT : port; }

    /** {@code host:port} (an IPv6 address in brackets): how reports name the server. */
    public String label() { return Names.bracketIfIpv6(host) + ":" + portOrDefault(); }

    /**
     * Reads {@code [USER@]HOST[:PORT]}. An IPv6 address with a port is written in brackets
     * ({@code [::1]:7022}); one without brackets is an address without a port.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ConsoleServer parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("it is empty; expected " + FORM);
        String rest = text.strip();
        String user = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            if (!Names.isUser(user)) {
                throw new IllegalArgumentException("bad user '" + user + "': expected " + Names.USER_FORM);
            }
            rest = rest.substring(at + 1);
        }
        String host = rest;
        String port = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close > 0 && close < rest.length() - 1) {
                if (rest.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("'" + rest.substring(close + 1) + "' follows the address; expected " + FORM);
                }
                port = rest.substring(close + 2);
                host = rest.substring(0, close + 1);
            }
        } else if (rest.indexOf(':') >= 0 && rest.indexOf(':') == rest.lastIndexOf(':')) {
            port = rest.substring(rest.indexOf(':') + 1);
            host = rest.substring(0, rest.indexOf(':'));
        }
        String address = Names.host(host);
        if (address == null) {
            throw new IllegalArgumentException("bad host '" + host + "': expected a host name, an IPv4 address (no leading zeros) or an IPv6"
                    + " address such as [2001:db8::7]");
        }
        return new ConsoleServer(user, address, port == null ? null : port(port));
    }

    private static int port(String text) {
        if (text.matches("\\d{1,5}")) {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65535) return p;
        }
        throw new IllegalArgumentException("bad port '" + text + "': expected 1-65535");
    }

    @Override
    public String toString() { return (user == null ? "" : user + "@") + label(); }
}
