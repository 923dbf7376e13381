package org.ctys.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;

/**
 * Where the inventory copy may be kept and read: only where nobody but the user that runs ctys
 * (and root) can put a file. Another user who can write a shared {@code $XDG_CACHE_HOME}, or the
 * user's cache when root runs ctys with {@code sudo -E}, could otherwise plant a copy of an
 * inventory of their choosing. The walk is OpenSSH's for the files it trusts (StrictModes).
 */
final class CacheDirectory {

    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final int TYPE = 0170000;
    private static final int DIRECTORY = 0040000;
    private static final int REGULAR = 0100000;
    private static final int WRITABLE_BY_OTHERS = 0022;
    private static final int STICKY = 01000;

    private CacheDirectory() {}

    /**
     * The directory is the user's own, not a link, writable by nobody else, and none of the
     * directories above it lets anyone but the user or root rename it away (a world-writable
     * directory with the sticky bit, such as /tmp, does not).
     */
    static boolean isTrusted(Path dir) {
        try {
            Map<String, Object> a = Files.readAttributes(dir, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
            if (!isOwn(a, DIRECTORY)) return false;
            Path parent = dir.toAbsolutePath().getParent();
            for (Path p = parent == null ? null : parent.toRealPath(); p != null; p = p.getParent()) {
                Map<String, Object> up = Files.readAttributes(p, "unix:mode,uid");
                int mode = (Integer) up.get("mode");
                int uid = (Integer) up.get("uid");
                if (uid != 0 && uid != Users.current()) return false;
                if ((mode & WRITABLE_BY_OTHERS) != 0 && (mode & STICKY) == 0) return false;
            }
            return true;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return false;
        }
    }

    /** A regular file (not a link) of the user's that nobody else can write. */
    static boolean isTrustedFile(Path file) {
        try {
            return isOwn(Files.readAttributes(file, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS), REGULAR);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return false;
        }
    }

    private static boolean isOwn(Map<String, Object> a, int type) {
        int mode = (Integer) a.get("mode");
        return (mode & TYPE) == type && (Integer) a.get("uid") == Users.current() && (mode & WRITABLE_BY_OTHERS) == 0;
    }

    /**
     * Creates the directory and any missing directory above it, each 0700, and says whether the
     * result can be trusted. An existing directory is left as it is: one that cannot be trusted
     * is not used, not repaired.
     */
    static boolean create(Path dir) {
        try {
            Deque<Path> missing = new ArrayDeque<>();
            for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
                missing.push(p);
            }
            while (!missing.isEmpty()) Files.createDirectory(missing.pop(), PRIVATE);
            return isTrusted(dir);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
