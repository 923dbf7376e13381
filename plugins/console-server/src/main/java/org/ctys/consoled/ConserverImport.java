package org.ctys.consoled;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctys.consoled.ConserverParser.Block;
import org.ctys.consoled.ConserverParser.Item;
import org.ctys.consoled.ConserverSettings.User;

/**
 * {@code ctys-consoled --import-conserver FILE}: prints the consoled.yaml equivalent of a
 * conserver.cf. Blocks take effect in file order, as in conserver: a console sees the default
 * blocks and groups defined before it.
 */
public final class ConserverImport {

    private final ImportReport report = new ImportReport();
    private final ImportedConfig config;
    private final Map<String, ConserverSettings> defaults = new HashMap<>();
    private final Map<String, ConserverSettings.Users> groups = new LinkedHashMap<>();
    private final Map<String, String> groupOrigins = new HashMap<>();
    private final Map<String, String> breaks = new HashMap<>(Map.of("1", ConserverCommon.SERIAL_BREAK, "2", "\\r~^b",
            "3", "#.", "4", "\\r\\d~\\d^b"));
    private final ConserverConsoles consoles;

    private ConserverImport(String file) {
        config = new ImportedConfig(file, "conserver");
        consoles = new ConserverConsoles(config, report, breaks);
    }

    /**
     * @return 0 when everything converted; 3 when anything was refused, malformed, or the file cannot be read
     */
    public static int run(Path in, PrintStream out, PrintStream err) {
        String text = ImportFiles.read(in, err);
        if (text == null) return ImportReport.REFUSED;
        ConserverImport imp = new ConserverImport(in.toString());
        new ConserverParser(imp.report, imp::block).parse(in, text);
        imp.finish();
        imp.config.write(out);
        imp.report.print(err);
        return imp.report.exitStatus();
    }

    private void block(Block b) {
        switch (b.type()) {
            case "default" -> {
                ConserverSettings s = new ConserverSettings();
                for (Item it : b.items()) s.item(it, defaults, groups, report);
                defaults.put(b.name(), s);
            }
            case "console" -> {
                ConserverSettings s = new ConserverSettings();
                ConserverSettings star = defaults.get("*");
                if (star != null) s.apply(star);
                for (Item it : b.items()) s.item(it, defaults, groups, report);
                consoles.console(b.name(), b.at(), s);
            }
            case "group" -> group(b);
            case "break" -> breakBlock(b);
            case "task" -> report.refuse(b.at(), "task " + b.name(), "tasks run commands on conserver's host when a user"
                    + " asks; ctys-consoled runs none", null);
            case "access" -> access(b);
            default -> ConserverServer.config(b, config, report);
        }
    }

    private void group(Block b) {
        ConserverSettings.Users users = new ConserverSettings.Users();
        for (Item it : b.items()) {
            if (it.value().isEmpty()) users.clear();
            else ConserverSettings.addAll(users, it.value(), it.at(), groups);
        }
        groups.put(b.name(), users);
        groupOrigins.put(b.name(), b.at());
    }

    private void breakBlock(Block b) {
        if (!b.name().matches("[1-9a-z]")) {
            report.error(b.at(), "break " + b.name() + ": sequences are numbered 1 to 9 or a to z");
            return;
        }
        for (Item it : b.items()) if (it.key().equals("string")) breaks.put(b.name(), it.value());
    }

    private void access(Block b) {
        for (Item it : b.items()) {
            String why = switch (it.key()) {
                case "trusted", "allowed", "rejected" -> "conserver admitted clients by their host address;"
                        + " ctys-consoled admits users by their SSH keys only (users:, access:)";
                case "admin" -> "there are no administrators with extra commands; the daemon is managed with systemctl";
                case "limited" -> "there are no suspend, shift or local-command escapes to limit";
                default -> null;
            };
            if (why != null) report.refuse(it.at(), "access " + b.name() + " " + it.key() + " " + it.value(), why, null);
        }
    }

    private void finish() {
        consoles.common().finish();
        Map<String, ImportedConfig.Group> written = new LinkedHashMap<>();
        groups.forEach((name, users) -> {
            String at = groupOrigins.get(name);
            if (!ConfigReader.isGroupName(name)) {
                report.refuse(at, "group name '" + name + "'", "group names are " + ConfigReader.GROUP_NAME_FORM, null);
                return;
            }
            List<String> members = new ArrayList<>();
            for (User u : users.backFirst()) {
                if (u.not() || u.name().equals("*") || u.name().startsWith("@") || !ConserverAccess.isUser(u.name())) {
                    members = null;
                    break;
                }
                members.add(u.name());
            }
            if (members == null) {
                config.note("group " + name + " (" + at + "): has '*', '!', '@' or non-login names; its members are"
                        + " written out in the access rules instead");
                return;
            }
            written.put(name, new ImportedConfig.Group(name, at + ": group " + name
                    + " (the members' keys go in users:; a shared key for the group: add keys: FILE)", members));
        });
        consoles.access().finish(written);
    }
}
