package org.ctys.consoled;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ctys.inventory.Inventory;

/**
 * consoled.yaml as read and checked: everything the daemon needs, with the defaults filled in and
 * relative paths resolved against the file's directory.
 *
 * @param userKeys each user's authorized_keys file
 * @param consoles  in file order: the {@code consoles:} entries, then those taken from the inventory
 * @param inventory where guest consoles' hosts are looked up: the {@code inventory:} file, else ctys's own
 *                  inventory when a guest console needs one, else an empty one
 */
record DaemonConfig(Path file, String listenHost, int listenPort, Path hostKey, Path logDir, Rotation rotation,
                    Duration mark, Path pidFile, Map<String, Path> userKeys, Map<String, Group> groups, Access access,
                    List<ConsoleDef> consoles, Inventory inventory) {

    static final String DEFAULT_LISTEN = "0.0.0.0:7022";
    static final Path DEFAULT_LOG_DIR = Path.of("/var/log/ctys/consoles");
    static final String DEFAULT_HOST_KEY = "consoled_host_key";
    static final String PID_FILE_NAME = "ctys-consoled.pid";
    static final Duration DEFAULT_MARK = Duration.ofMinutes(20);

    /** How a console's log is rotated: by size, by age, and how many old files are kept. */
    record Rotation(long maxBytes, Duration maxAge, int keep) {
        static final Rotation DEFAULT = new Rotation(10L << 20, Duration.ofDays(1), 10);
    }

    /** A group of users: its members may log in (as themselves) with their own keys or with {@code keys}, if given. */
    record Group(Set<String> members, Path keys) {
        Group { members = Set.copyOf(members); }
    }

    DaemonConfig {
        userKeys = Map.copyOf(userKeys);
        groups = Map.copyOf(groups);
        consoles = List.copyOf(consoles);
        if (inventory == null) inventory = Inventory.empty();
    }

    /** Whether anyone may log in as {@code user}: a user of {@code users:} or a member of a group. */
    boolean knowsUser(String user) {
        return userKeys.containsKey(user) || groups.values().stream().anyMatch(g -> g.members().contains(user));
    }
}
