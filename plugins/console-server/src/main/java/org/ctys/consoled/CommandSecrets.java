package org.ctys.consoled;

import java.util.List;

/**
 * A secret given on a command line ({@code ipmitool -P PASSWORD}): an imported console with one is
 * refused, by conman's and conserver's importer alike, as the command line would go into the YAML
 * and into every ps listing of the daemon's host.
 */
final class CommandSecrets {

    /** Why such a console is refused. */
    static final String WHY = "ctys-consoled never copies a password into a command line; give ipmitool -f FILE (or -E),"
            + " or make it a sol: console with password-file";

    private CommandSecrets() {}

    /** {@link #passwordOption(List)} of a command line split at white space. */
    static String passwordOption(String cmd) {
        return passwordOption(List.of(cmd.strip().split("\\s+")));
    }

    /**
     * The option by which a command passes a secret on its command line ("ipmitool -P"), or null:
     * ipmitool's -P, -k, -y; ipmiconsole's -p, -k; sshpass's -p. Never the secret itself.
     */
    static String passwordOption(List<String> words) {
        for (int i = 0; i < words.size(); i++) {
            String program = words.get(i).substring(words.get(i).lastIndexOf('/') + 1);
            List<String> options = switch (program) {
                case "ipmitool" -> List.of("-P", "-k", "-y");
                case "ipmiconsole" -> List.of("-p", "-k", "--password", "--k-g");
                case "sshpass" -> List.of("-p");
                default -> List.of();
            };
            for (int j = i + 1; j < words.size(); j++) {
                String w = words.get(j);
                for (String o : options) {
                    if (w.equals(o) || (o.length() == 2 && w.startsWith(o)) || w.startsWith(o + "=")) return program + " " + o;
                }
                // sshpass's own options end where the command it runs begins (ssh -p PORT is not a password)
                if (program.equals("sshpass")) {
                    if (w.equals("-f") || w.equals("-d") || w.equals("-P")) j++;
                    else if (!w.startsWith("-")) break;
                }
            }
        }
        return null;
    }
}
