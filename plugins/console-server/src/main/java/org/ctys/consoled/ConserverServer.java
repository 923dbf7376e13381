package org.ctys.consoled;

import java.util.Locale;
import org.ctys.consoled.ConserverParser.Block;
import org.ctys.consoled.ConserverParser.Item;

/** conserver's config blocks: the settings of the daemon itself. */
final class ConserverServer {

    private ConserverServer() {}

    static void config(Block b, ImportedConfig config, ImportReport report) {
        if (!b.name().equals("*") && !ConserverCommon.isLocal(b.name())) {
            config.note("config " + b.name() + " (" + b.at() + "): for conserver on another host");
            return;
        }
        for (Item it : b.items()) {
            String v = it.value();
            switch (it.key()) {
                case "primaryport" -> {
                    if (v.matches("\\d{1,5}") && Integer.parseInt(v) >= 1 && Integer.parseInt(v) <= 65535) {
                        config.set("listen", "0.0.0.0:" + Integer.parseInt(v), it.at() + ": primaryport (users reach the"
                                + " consoles with ssh -p " + Integer.parseInt(v) + ")");
                    } else {
                        report.refuse(it.at(), "primaryport " + v, "write the port number; conserver looked names up"
                                + " in its host's services", null);
                    }
                }
                case "defaultaccess" -> report.refuse(it.at(), "defaultaccess " + v, "conserver admitted clients by their"
                        + " host address; ctys-consoled admits users by their SSH keys only", null);
                case "passwdfile" -> config.note("passwdfile (" + it.at() + "): users log in with SSH keys, listed under users:");
                case "sslrequired", "sslcredentials", "sslcacertificatefile", "sslreqclientcert" ->
                        config.note(it.key() + " (" + it.at() + "): every connection is SSH, always encrypted");
                case "logfile", "unifiedlog" -> config.note(it.key() + " (" + it.at() + "): ctys-consoled writes its messages"
                        + " to stderr (the journal under systemd) and each console to its own log");
                case "autocomplete" -> {
                    if (!v.toLowerCase(Locale.ROOT).matches("no|false|off")) {
                        config.note("autocomplete (" + it.at() + "): consoles are attached by their full name");
                    }
                }
                default -> config.note(it.key() + " (" + it.at() + "): a setting of conserver's processes, not needed");
            }
        }
    }
}
