package org.ctys.consoled;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A secret given on a command line ({@code ipmitool -P PASSWORD}, {@code ssh.exp HOST PORT USER PASSWORD}):
 * an imported console with one is refused, by conman's and conserver's importer alike, as the command
 * line would go into the YAML and into every ps listing of the daemon's host.
 */
final class CommandSecrets {

    /** Why such a console is refused. */
    static final String WHY = "ctys-consoled never copies a password into a command line; give ipmitool -f FILE (or -E),"
            + " or make it a sol: console with password-file";

    /** Why a console running one of conman's expect scripts with its password argument is refused. */
    static final String SCRIPT_WHY = "ctys-consoled never copies a password into a command line; leave the script's"
            + " password argument out, and it reads the password from /etc/conman.pswd";

    /**
     * conman's expect scripts (/usr/lib/conman/exec) and the place of their password argument, counted
     * from 1 after the script: HOST PORT USER PSWD (HOST BLADE USER PSWD for ibm-bc.exp), or HOST USER
     * PSWD (ipmitool.exp and ipmiconsole.exp then take KEYG). Without it a script reads the password
     * from /etc/conman.pswd.
     */
    static final Map<String, Integer> SCRIPT_PASSWORD = Map.ofEntries(Map.entry("cyclades-ssh.exp", 4),
            Map.entry("cyclades-telnet.exp", 4), Map.entry("hp-ilo.exp", 4), Map.entry("hp-lo100.exp", 4),
            Map.entry("ibm-bc.exp", 4), Map.entry("ssh.exp", 4), Map.entry("ipmiconsole.exp", 3),
            Map.entry("ipmitool.exp", 3), Map.entry("sun-elom.exp", 3), Map.entry("sun-ilom.exp", 3),
            Map.entry("sun-v20z-v40z.exp", 3));

    /** The programs whose options pass a secret, and those options. */
    private static final Map<String, List<String>> OPTIONS = Map.of("ipmitool", List.of("-P", "-k", "-y"),
            "ipmiconsole", List.of("-p", "-k", "--password", "--k-g"), "sshpass", List.of("-p"));

    /** Environment variables a program reads its secret from (ipmitool -E and -K, sshpass -e): set on the command line, it is on it. */
    private static final List<String> VARIABLES = List.of("IPMI_PASSWORD=", "IPMI_KGKEY=", "SSHPASS=");

    /** A word that /bin/sh would split further or unquote, such as the command line of sh -c. */
    private static final Pattern SHELL_WORD = Pattern.compile("[\\s\"'\\\\;&|()<>`]");

    private static final String ARGUMENT = "'s password argument";

    private CommandSecrets() {}

    /** {@link #passwordOption(List)} of a command line /bin/sh runs (conserver's exec): {@link #shellWords}. */
    static String passwordOption(String cmd) {
        return passwordOption(shellWords(cmd));
    }

    /**
     * The option, argument or variable by which a command passes a secret on its command line ("ipmitool
     * -P", "ssh.exp's password argument", "IPMI_PASSWORD="), or null: ipmitool's -P, -k, -y; ipmiconsole's
     * -p, -k; sshpass's -p; the password argument of one of conman's expect scripts; IPMI_PASSWORD,
     * IPMI_KGKEY or SSHPASS set. An argument that is itself a command line (sh -c '...') is looked into.
     * Never the secret itself. One pass over the words, and one more over each such argument's.
     */
    static String passwordOption(List<String> words) {
        String found = scan(words);
        for (int i = 0; found == null && i < words.size(); i++) {
            if (SHELL_WORD.matcher(words.get(i)).find()) found = scan(shellWords(words.get(i)));
        }
        return found;
    }

    private static String scan(List<String> words) {
        String program = null;
        List<String> options = List.of();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            for (String v : VARIABLES) if (w.startsWith(v)) return v;
            String name = program(w);
            Integer pswd = SCRIPT_PASSWORD.get(name);
            if (pswd != null && words.size() - i > pswd) return name + ARGUMENT;
            if (OPTIONS.containsKey(name)) {
                program = name;
                options = OPTIONS.get(name);
                continue;
            }
            for (String o : options) {
                if (w.equals(o) || (o.length() == 2 && w.startsWith(o)) || w.startsWith(o + "=")) return program + " " + o;
            }
            // sshpass's own options end where the command it runs begins (ssh -p PORT is not a password)
            if ("sshpass".equals(program)) {
                if (w.equals("-f") || w.equals("-d") || w.equals("-P")) i++;
                else if (!w.startsWith("-")) options = List.of();
            }
        }
        return null;
    }

    /**
     * The words of a command line /bin/sh runs, near enough to find programs and options in them (never
     * to run it): quotes and backslashes dropped, split at white space and at ; &amp; | ( ) &lt; &gt; `.
     */
    static List<String> shellWords(String cmd) {
        List<String> words = new ArrayList<>();
        for (String w : cmd.replaceAll("[\"'\\\\]", "").split("[\\s;&|()<>`]+")) {
            if (!w.isEmpty()) words.add(w);
        }
        return words;
    }

    /** Why a console whose command has this {@link #passwordOption(List)} is refused. */
    static String why(String found) {
        return found.endsWith(ARGUMENT) ? SCRIPT_WHY : WHY;
    }

    /**
     * Whether a value of the file may hold a secret or the start of one: a secret option, argument or
     * variable, or a program that takes one (ipmitool, a conman expect script): a value cut at a quote or
     * a ';' may have been cut before its secret, or inside it. A word read after such a value is never
     * quoted.
     */
    static boolean mayHoldSecret(String value) {
        List<String> words = shellWords(value);
        if (passwordOption(words) != null) return true;
        for (String w : words) {
            String program = program(w);
            if (SCRIPT_PASSWORD.containsKey(program) || OPTIONS.containsKey(program)) return true;
        }
        return false;
    }

    private static String program(String word) {
        return word.substring(word.lastIndexOf('/') + 1);
    }
}
