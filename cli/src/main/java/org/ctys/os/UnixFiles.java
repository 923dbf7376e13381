package org.ctys.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the kernel says of a file's type, mode and owner (stat(2)) and of the user ctys runs as
 * (getuid(2)): the one place the ownership and permission checks of secret files, SSH keys and
 * the inventory copy read them from.
 */
public final class UnixFiles {
    public static final int REGULAR = 0100000;
    public static final int DIRECTORY = 0040000;
    public static final int FIFO = 0010000;
    public static final int CHARACTER_DEVICE = 0020000;
    public static final int BLOCK_DEVICE = 0060000;
    public static final int SOCKET = 0140000;
    private static final int TYPE = 0170000;
    private static final int STICKY = 01000;
    private static final int WRITABLE_BY_OTHERS = 0022;

    /** A file's mode bits and owning user, as stat(2) gives them. */
    public record Stat(int mode, int uid) {
        /** {@link #REGULAR}, {@link #DIRECTORY}, {@link #FIFO}, ... */
        public int type() { return mode & TYPE; }

        /** The permission bits, as chmod takes them (0600). */
        public int permissions() { return mode & 07777; }

        public boolean writableByOthers() { return (mode & WRITABLE_BY_OTHERS) != 0; }

        public boolean sticky() { return (mode & STICKY) != 0; }

        /** Owned by the user running ctys or by root: nobody else can change its mode or replace what it holds. */
        public boolean ownedByUserOrRoot() { return uid == 0 || uid == currentUid(); }

        /**
         * Fit to decide what ctys does, by OpenSSH's rule for ~/.ssh/config: owned by this user or
         * root, and writable by its owner only.
         */
        public boolean trusted() { return ownedByUserOrRoot() && !writableByOthers(); }
    }

    /** The one-line refusal of a file that is not {@link Stat#trusted()}: "bad owner or permissions on ...". */
    public static String untrusted(String what, Path file, String decides) {
        return "bad owner or permissions on " + what + " " + file + ": it " + decides + ", so it must belong to you or root"
                + " and only its owner may write it (chmod go-w " + file + ")";
    }

    private UnixFiles() {}

    /**
     * stat(2) of {@code path}; with {@link LinkOption#NOFOLLOW_LINKS}, lstat(2). A file system
     * without Unix modes is an IOException like any other file that cannot be checked.
     */
    public static Stat stat(Path path, LinkOption... options) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:mode,uid", options);
            return new Stat((Integer) a.get("mode"), (Integer) a.get("uid"));
        } catch (UnsupportedOperationException e) {
            throw new IOException(path + ": this system keeps no Unix file modes", e);
        }
    }

    /** The real user id, as getuid(2) gives it. */
    public static int currentUid() {
        return (int) new com.sun.security.auth.module.UnixSystem().getUid();
    }
}
