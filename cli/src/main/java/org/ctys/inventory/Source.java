package org.ctys.inventory;

import java.nio.file.Path;
import org.ctys.exit.CtysException;

/** The inventory file being read: turns a line and a problem into the one-line error users see. */
record Source(Path file) {

    CtysException error(int line, String message) {
        return CtysException.config(file + ":" + line + ": " + message);
    }

    /** Relative secret files are relative to the inventory, not to wherever ctys was started. */
    Path resolve(String path) {
        Path p = Path.of(path);
        Path dir = file.toAbsolutePath().getParent();
        return p.isAbsolute() || dir == null ? p : dir.resolve(p);
    }
}
