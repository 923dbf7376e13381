package org.ctys.inventory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ctys.exit.CtysException;

/**
 * Finds and reads the inventory. Search order: {@code --inventory FILE}, then
 * {@code $CTYS_INVENTORY}, then {@code ~/.config/ctys/inventory.yaml}, then
 * {@code /etc/ctys/inventory.yaml}. A file the user named must exist; the two default places
 * may both be absent, and ctys then works with plain host names.
 */
public final class InventoryLoader {

    public static final String ENV_VAR = "CTYS_INVENTORY";
    public static final Path SYSTEM_FILE = Path.of("/etc/ctys/inventory.yaml");
    static final String HOME_FILE = ".config/ctys/inventory.yaml";

    private InventoryLoader() {}

    public static Inventory load(Path explicitOrNull, Map<String, String> env, Path home) {
        return load(explicitOrNull, env, home, SYSTEM_FILE);
    }

    /** As {@link #load(Path, Map, Path)}, with the system-wide file given, so tests need not touch /etc. */
    public static Inventory load(Path explicitOrNull, Map<String, String> env, Path home, Path systemFile) {
        Path cache = cacheDir(env, home);
        if (explicitOrNull != null) return parseNamed(explicitOrNull, "--inventory", cache);
        String fromEnv = env.get(ENV_VAR);
        // An empty variable is how shells unset things for one command; treat it as unset.
        if (fromEnv != null && !fromEnv.isBlank()) return parseNamed(Path.of(fromEnv), "$" + ENV_VAR, cache);
        if (home != null) {
            Path user = home.resolve(HOME_FILE);
            if (Files.exists(user)) return cached(user, cache);
        }
        if (systemFile != null && Files.exists(systemFile)) return cached(systemFile, cache);
        return Inventory.empty();
    }

    /** $XDG_CACHE_HOME/ctys, else ~/.cache/ctys: where the parsed copy of a large inventory is kept. */
    static Path cacheDir(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) return Path.of(xdg, "ctys");
        return home == null ? null : home.resolve(".cache").resolve("ctys");
    }

    private static Inventory parseNamed(Path file, String namedBy, Path cache) {
        if (file.toString().isEmpty()) {
            throw CtysException.config("inventory file '' (given by " + namedBy + ") names no file: give the"
                    + " inventory's path, e.g. ~/.config/ctys/inventory.yaml");
        }
        if (!Files.exists(file)) {
            throw CtysException.config("inventory file " + file + " (given by " + namedBy + ") does not exist");
        }
        return cached(file, cache);
    }

    private static Inventory cached(Path file, Path cache) {
        return InventoryCache.load(file, readAll(file), cache);
    }

    private static byte[] readAll(Path file) {
        return new ConfigFile(file, "inventory file").readTrusted(Limits.FILE_BYTES, Limits.FILE_TEXT,
                "chooses where ctys connects, what it runs and which secret files it sends");
    }

    /** Reads one inventory file; every problem is a configuration error naming the file and line. */
    public static Inventory parse(Path file) {
        return parse(file, readAll(file));
    }

    static Inventory parse(Path file, byte[] content) {
        Source source = new Source(file);
        InventoryText.check(content, source);
        return InventoryReader.read(YamlReader.read(content, source), source);
    }
}
