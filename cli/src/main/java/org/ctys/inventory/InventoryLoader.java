package org.ctys.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.ctys.spi.CtysException;

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
        if (explicitOrNull != null) return parseNamed(explicitOrNull, "--inventory");
        String fromEnv = env.get(ENV_VAR);
        // An empty variable is how shells unset things for one command; treat it as unset.
        if (fromEnv != null && !fromEnv.isBlank()) return parseNamed(Path.of(fromEnv), "$" + ENV_VAR);
        if (home != null) {
            Path user = home.resolve(HOME_FILE);
            if (Files.exists(user)) return parse(user);
        }
        if (systemFile != null && Files.exists(systemFile)) return parse(systemFile);
        return Inventory.empty();
    }

    private static Inventory parseNamed(Path file, String namedBy) {
        if (!Files.exists(file)) {
            throw CtysException.config("inventory file " + file + " (given by " + namedBy + ") does not exist");
        }
        return parse(file);
    }

    /** Reads one inventory file; every problem is a configuration error naming the file and line. */
    public static Inventory parse(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw CtysException.config("inventory file " + file + " does not exist");
        } catch (IOException e) {
            throw CtysException.config("cannot read inventory file " + file + ": " + e.getMessage(), e);
        }
        Source source = new Source(file);
        return InventoryReader.read(YamlReader.read(content, source), source);
    }
}
