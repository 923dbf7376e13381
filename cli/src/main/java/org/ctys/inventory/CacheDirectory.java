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
import java.util.Set;
import org.ctys.os.UnixFiles;

/**
 * Where the inventory copy may be kept and read: only where nobody but the user that runs ctys
 * (and root) can put a file. Another user who can write a shared {@code $XDG_CACHE_HOME}, or the
 * user's cache when root runs ctys with {@code sudo -E}, could otherwise plant a copy of an
 * inventory of their choosing. The walk is OpenSSH's for the files it trusts (StrictModes).
 */
final class CacheDirectory {

    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private CacheDirectory() {}

    /**
     * The directory is the user's own, not a link, writable by nobody else, and none of the
     * directories above it lets anyone but the user or root rename it away (a world-writable
     * directory with the sticky bit, such as /tmp, does not).
     */
    static boolean isTrusted(Path dir) {
        try {
            if (!isOwn(UnixFiles.stat(dir, LinkOption.NOFOLLOW_LINKS), UnixFiles.DIRECTORY)) return false;
            Path parent = dir.toAbsolutePath().getParent();
            for (Path p = parent == null ? null : parent.toRealPath(); p != null; p = p.getParent()) {
                UnixFiles.Stat up = UnixFiles.stat(p);
                if (!up.ownedByUserOrRoot()) return false;
                if (up.writableByOthers() && !up.sticky()) return false;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A regular file (not a link) of the user's that nobody else can write. */
    static boolean isTrustedFile(Path file) {
        try {
            return isOwn(UnixFiles.stat(file, LinkOption.NOFOLLOW_LINKS), UnixFiles.REGULAR);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isOwn(UnixFiles.Stat s, int type) {
        return s.type() == type && s.uid() == UnixFiles.currentUid() && !s.writableByOthers();
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
        } catch (IOException e) {
            return false;
        }
    }
}
