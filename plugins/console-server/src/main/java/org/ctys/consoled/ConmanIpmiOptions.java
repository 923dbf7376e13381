package org.ctys.consoled;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * conman's {@code ipmiopts="U:user,P:password,K:k_g,C:suite,L:privilege,W:flag"} (or the older
 * positional form {@code "user,password,k_g,flag..."}), read as conmand's server-ipmi.c does: an
 * option left out, or given as "X:", keeps the value it had, but W:, W:default and W:none clear the
 * workaround flags; a flag conmand does not know is refused unquoted. Each value remembers the line it was
 * written on. The password and K_g are never kept: only that one was given, where, and whether it
 * was written in hexadecimal, because ctys-consoled takes secrets from files.
 */
record ConmanIpmiOptions(Option user, Secret password, Secret kg, Option cipher, Option privilege, List<Option> workarounds) {

    record Option(String value, int line) {}

    /** Where a secret was written; never the secret. */
    record Secret(int line, boolean hex) {}

    static final ConmanIpmiOptions DEFAULT = new ConmanIpmiOptions(null, null, null, null, null, List.of());

    private static final int MAX_USER = 16;
    private static final int MAX_KEY = 20;

    /** The workaround flags conmand's server-ipmi.c knows by name; "default" and "none" clear them. */
    private static final Set<String> WORKAROUNDS = Set.of("authcap", "intel20", "supermicro20", "sun20", "opensesspriv",
            "integritycheckvalue", "nochecksumcheck", "serialalertsdeferred", "solpacketseq", "solpayloadsize", "solport",
            "solstatus", "solchannelsupport");
    /** A flag as strtoul(3) with base 0 reads it: decimal, 0x hexadecimal, 0 octal. */
    private static final Pattern FLAG_NUMBER = Pattern.compile("0[xX][0-9A-Fa-f]+|[1-9][0-9]*|0[0-7]*");

    /**
     * @throws IllegalArgumentException naming the option that is wrong, never quoting a secret
     */
    ConmanIpmiOptions with(String text, int line) {
        Builder b = new Builder(this);
        if (text.length() >= 2 && text.charAt(1) != ':' || text.length() == 1) {
            positional(b, text, line);
        } else {
            for (String tok : text.split(",")) {
                if (tok.isEmpty()) continue;
                if (tok.length() < 2 || tok.charAt(1) != ':' || "UPKCLW".indexOf(Character.toUpperCase(tok.charAt(0))) < 0) {
                    String shown = tok.length() >= 2 && tok.charAt(1) == ':' ? tok.substring(0, 2) + "..." : "an option";
                    throw new IllegalArgumentException("ipmiopts: " + shown + " is not one of U:, P:, K:, C:, L:, W:");
                }
                b.set(Character.toUpperCase(tok.charAt(0)), tok.substring(2), line);
            }
        }
        return b.build();
    }

    /**
     * The deprecated form conmand still reads: user,password,k_g,workaround... ("-" for the default).
     * conmand splits it with strtok, which passes over empty fields: "admin,,pw" gives the password pw.
     */
    private static void positional(Builder b, String text, int line) {
        char[] keys = {'U', 'P', 'K'};
        int i = 0;
        for (String part : text.split(",")) {
            if (part.isEmpty()) continue;
            b.set(i < keys.length ? keys[i] : 'W', part.equals("-") ? "" : part, line);
            i++;
        }
    }

    private static final class Builder {
        Option user;
        Secret password;
        Secret kg;
        Option cipher;
        Option privilege;
        final List<Option> workarounds;

        Builder(ConmanIpmiOptions o) {
            user = o.user;
            password = o.password;
            kg = o.kg;
            cipher = o.cipher;
            privilege = o.privilege;
            workarounds = new ArrayList<>(o.workarounds);
        }

        void set(char key, String v, int line) {
            switch (key) {
                case 'U' -> {
                    if (v.length() > MAX_USER) throw new IllegalArgumentException("ipmiopts U: the user name is longer than " + MAX_USER + " bytes");
                    user = v.isEmpty() ? null : new Option(v, line);
                }
                case 'P' -> password = secret(v, line, "P: the password");
                case 'K' -> kg = secret(v, line, "K: the K_g key");
                case 'C' -> {
                    if (!v.isEmpty() && !v.matches("\\d{1,3}")) throw new IllegalArgumentException("ipmiopts C: the cipher suite must be a number");
                    cipher = v.isEmpty() ? null : new Option(String.valueOf(Integer.parseInt(v)), line);
                }
                case 'L' -> {
                    String l = v.toLowerCase(Locale.ROOT);
                    if (!l.isEmpty() && !List.of("user", "op", "operator", "admin", "administrator").contains(l)) {
                        throw new IllegalArgumentException("ipmiopts L: the privilege level must be user, op or admin");
                    }
                    privilege = l.isEmpty() ? null : new Option(l, line);
                }
                default -> {
                    // process_ipmi_opt_workaround: "", default and none (0) replace the flags, a flag is added to them
                    String w = v.toLowerCase(Locale.ROOT);
                    if (w.isEmpty() || w.equals("default") || w.equals("none") || w.matches("0x0+|0+")) {
                        workarounds.clear();
                    } else if (WORKAROUNDS.contains(w) || FLAG_NUMBER.matcher(v).matches()) {
                        workarounds.add(new Option(v, line));
                    } else {
                        throw new IllegalArgumentException("ipmiopts W: is not a workaround flag conmand knows"
                                + " (not shown: it may be part of a password)");
                    }
                }
            }
        }

        private static Secret secret(String v, int line, String what) {
            if (v.isEmpty()) return null;
            boolean hex = v.length() > 2 && (v.startsWith("0x") || v.startsWith("0X"));
            if (hex ? v.length() - 2 > 2 * MAX_KEY || !v.substring(2).matches("[0-9A-Fa-f]+") : v.length() > MAX_KEY) {
                throw new IllegalArgumentException("ipmiopts " + what + " is longer than " + MAX_KEY
                        + " bytes (or " + 2 * MAX_KEY + " hexadecimal digits after 0x)");
            }
            return new Secret(line, hex);
        }

        ConmanIpmiOptions build() {
            return new ConmanIpmiOptions(user, password, kg, cipher, privilege, List.copyOf(workarounds));
        }
    }
}
