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

    /** A file's mode bits, owning user and group, as stat(2) gives them. */
    public record Stat(int mode, int uid, int gid) {
        /** {@link #REGULAR}, {@link #DIRECTORY}, {@link #FIFO}, ... */
        public int type() { return mode & TYPE; }

        /** The permission bits, as chmod takes them (0600). */
        public int permissions() { return mode & 07777; }

        public boolean writableByOthers() { return (mode & WRITABLE_BY_OTHERS) != 0; }

        public boolean sticky() { return (mode & STICKY) != 0; }

        /** Owned by the user running ctys or by root: nobody else can change its mode or replace what it holds. */
        public boolean ownedByUserOrRoot() { return uid == 0 || uid == currentUid(); }

        /**
         * Fit to decide what ctys does, by OpenSSH's rule for ~/.ssh/config as Debian builds it:
         * owned by this user or root, writable by nobody else; writable by its group only when that
         * group is the owner's own (its one member is the owner: umask 002 with a group per user).
         */
        public boolean trusted() {
            if (!ownedByUserOrRoot() || (mode & 0002) != 0) return false;
            return (mode & 0020) == 0 || ownersOwnGroup(gid, uid);
        }
    }

    /** Whether group {@code gid} has exactly one member, user {@code owner}, by /etc/passwd and /etc/group. */
    static boolean ownersOwnGroup(int gid, int owner) {
        try {
            return ownersOwnGroup(gid, owner, Files.readAllLines(Path.of("/etc/passwd")), Files.readAllLines(Path.of("/etc/group")));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * As Debian's OpenSSH decides it: the group exists; every user whose primary group it is is the
     * owner; its listed members are none or the owner alone; and it has at least one member. A group
     * known only to another name service (not in /etc/group) is no one's own.
     */
    static boolean ownersOwnGroup(int gid, int owner, java.util.List<String> passwd, java.util.List<String> group) {
        String ownerName = null;
        int members = 0;
        for (String line : passwd) {
            String[] f = line.split(":", -1);
            if (f.length < 4) continue;
            if (f[2].equals(Integer.toString(owner))) ownerName = f[0];
            if (f[3].equals(Integer.toString(gid))) {
                if (!f[2].equals(Integer.toString(owner))) return false;
                members++;
            }
        }
        for (String line : group) {
            String[] f = line.split(":", -1);
            if (f.length < 4 || !f[2].equals(Integer.toString(gid))) continue;
            String listed = f[3].strip();
            if (!listed.isEmpty()) {
                if (listed.contains(",") || !listed.equals(ownerName)) return false;
                members++;
            }
            return members > 0;
        }
        return false;
    }

    /** The one-line refusal of a file that is not {@link Stat#trusted()}: "bad owner or permissions on ...". */
    public static String untrusted(String what, Path file, String decides) {
        return "bad owner or permissions on " + what + " " + file + ": it " + decides + ", so it must belong to you or root"
                + " and no one else may write it (chmod go-w " + file + ")";
    }

    /**
     * Whether {@code file} is fit to decide who may log in, by OpenSSH's StrictModes: the file
     * {@link Stat#trusted()}; every directory above it (of its real path) owned by this user or
     * root and writable by nobody else, unless it has the sticky bit (as /tmp: nobody else can
     * rename an entry away); and every symbolic link on the way owned by this user or root (a link
     * someone else made in a sticky directory would point at a file of their choosing). Null when
     * it is; else what is wrong, for {@link #untrusted}'s message.
     */
    public static String untrustedOnTheWay(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Path prefix = absolute.getRoot();
        for (Path part : absolute) {
            prefix = prefix.resolve(part);
            Stat link = stat(prefix, LinkOption.NOFOLLOW_LINKS);
            if (link.type() == SYMLINK && !link.ownedByUserOrRoot()) return "the link " + prefix + " belongs to someone else";
        }
        Path real = absolute.toRealPath();
        if (!stat(real).trusted()) return "the file " + real + " may be written by someone else";
        for (Path dir = real.getParent(); dir != null; dir = dir.getParent()) {
            Stat d = stat(dir);
            if (!d.ownedByUserOrRoot() || (d.writableByOthers() && !d.sticky())) {
                return "the directory " + dir + " may be written by someone else";
            }
        }
        return null;
    }

    private static final int SYMLINK = 0120000;

    private UnixFiles() {}

    /**
     * stat(2) of {@code path}; with {@link LinkOption#NOFOLLOW_LINKS}, lstat(2). A file system
     * without Unix modes is an IOException like any other file that cannot be checked.
     */
    public static Stat stat(Path path, LinkOption... options) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:mode,uid,gid", options);
            return new Stat((Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"));
        } catch (UnsupportedOperationException e) {
            throw new IOException(path + ": this system keeps no Unix file modes", e);
        }
    }

    /** The real user id, as getuid(2) gives it. */
    public static int currentUid() {
        return (int) new com.sun.security.auth.module.UnixSystem().getUid();
    }
}
