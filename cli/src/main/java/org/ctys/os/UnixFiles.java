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
     * Why {@code file} is not fit to decide who may log in, by OpenSSH's StrictModes, or null when
     * it is: the file {@link Stat#trusted()}; every directory above it (on its real path) owned by
     * this user or root and trusted as a file is, or with the sticky bit (as /tmp: nobody else can
     * rename an entry away); and every symbolic link met on the way, also inside what a link points
     * at, owned by this user or root (a link someone else made in a sticky directory points where
     * they like). The path is resolved here, link by link, as the kernel will when it is read.
     * {@code what} and {@code decides} word the message as {@link #untrusted} does.
     */
    public static String untrustedOnTheWay(Path file, String what, String decides) throws IOException {
        Path current = file.toAbsolutePath().getRoot();
        java.util.ArrayDeque<String> left = new java.util.ArrayDeque<>();
        for (Path part : file.toAbsolutePath()) left.add(part.toString());
        int links = 0;
        while (!left.isEmpty()) {
            String name = left.poll();
            if (name.equals(".")) continue;
            if (name.equals("..")) {
                if (current.getParent() != null) current = current.getParent();
                continue;
            }
            Path next = current.resolve(name);
            Stat st = stat(next, LinkOption.NOFOLLOW_LINKS);
            if (st.type() != SYMLINK) {
                current = next;
                continue;
            }
            if (!st.ownedByUserOrRoot()) {
                return "bad owner on the way to " + what + " " + file + ": the link " + next + " belongs to uid " + st.uid()
                        + "; it " + decides + ", so every link on the way must be yours or root's";
            }
            if (++links > 40) throw new IOException(file + ": too many levels of symbolic links");
            Path target = Files.readSymbolicLink(next);
            if (target.isAbsolute()) current = target.getRoot();
            java.util.List<String> parts = new java.util.ArrayList<>();
            for (Path p : target) parts.add(p.toString());
            for (int i = parts.size() - 1; i >= 0; i--) left.push(parts.get(i));
        }
        if (!stat(current).trusted()) return untrusted(what, file, decides);
        for (Path dir = current.getParent(); dir != null; dir = dir.getParent()) {
            Stat d = stat(dir);
            boolean ok = d.ownedByUserOrRoot() && (d.trusted() || d.sticky());
            if (!ok) {
                return "bad owner or permissions on the way to " + what + " " + file + ": the directory " + dir
                        + (d.ownedByUserOrRoot() ? " may be written by others" : " belongs to uid " + d.uid()) + "; it " + decides
                        + ", so every directory above it must belong to you or root and be writable by no one else, unless"
                        + " it has the sticky bit as /tmp (chmod go-w " + dir + ")";
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
