package org.ctys.transport.serial;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.ctys.os.UnixFiles;

/**
 * Has jSerialComm unpack and load its native library inside a directory of ctys's own.
 *
 * <p>Left alone, jSerialComm 2.11.4's {@code SerialPort} class, when first used, copies its
 * {@code libjSerialComm.so} to {@code $java.io.tmpdir/jSerialComm/<appid>/2.11.4/} (else
 * {@code $user.home/.jSerialComm/<appid>/2.11.4/}), makes that directory and the file writable by
 * everyone, first loads any copy it finds there without asking who wrote it, and deletes other
 * programs' copies beside it. Run as root, that is a library any local user could have put there.
 * So while the class initialises, ctys points both places into a fresh directory only its user can
 * enter (mode 0700, under $XDG_RUNTIME_DIR when it is the user's own, else java.io.tmpdir), gives the library the
 * application id "ctys", and removes the directory once the library is mapped. It works the same for
 * root and for a normal user and leaves nothing behind. The class-data archive of bin/ctys is not
 * concerned: no training run opens a serial line, so none of these classes is in it.
 */
final class NativeLibrary {
    private static boolean loaded;

    private NativeLibrary() {}

    static synchronized void load() throws SerialException {
        if (loaded) return;
        Path base = base();
        Path dir = null;
        String tmp = System.getProperty("java.io.tmpdir");
        String home = System.getProperty("user.home");
        try {
            dir = Files.createTempDirectory(base, "ctys-serial-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            System.setProperty("java.io.tmpdir", dir.toString());
            System.setProperty("user.home", dir.toString());
            System.setProperty("fazecast.jSerialComm.appid", "ctys");
            com.fazecast.jSerialComm.SerialPort.getVersion();
            loaded = true;
        } catch (IOException | LinkageError e) {
            throw new SerialException("serial lines: jSerialComm's native library could not be loaded in "
                    + (dir == null ? base : dir) + ": " + firstLine(e), e);
        } finally {
            restore("java.io.tmpdir", tmp);
            restore("user.home", home);
            if (dir != null) deleteQuietly(dir);
        }
    }

    /**
     * $XDG_RUNTIME_DIR when it is this user's own (0700, as the XDG spec has it; rarely mounted
     * noexec), else java.io.tmpdir when nobody else can move a directory of ours in it. Whoever
     * can rename entries of the base can swap the fresh directory for one of theirs before the
     * library is loaded from it: with root's environment inherited by sudo -E, $XDG_RUNTIME_DIR
     * is another user's.
     */
    private static Path base() throws SerialException {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty() && Path.of(runtime).isAbsolute() && private0700(Path.of(runtime))) {
            return Path.of(runtime);
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir", "/tmp"));
        if (safeParent(tmp)) return tmp;
        throw new SerialException("serial lines: no safe place to unpack jSerialComm's native library: " + tmp
                + " (java.io.tmpdir) can be written by other users without the sticky bit, or belongs to one"
                + (runtime == null || runtime.isEmpty() ? "" : ", and $XDG_RUNTIME_DIR " + runtime + " is not this user's own (0700)"));
    }

    /** Owned by this process's user, nobody else may enter it. */
    static boolean private0700(Path dir) {
        try {
            UnixFiles.Stat st = UnixFiles.stat(dir, LinkOption.NOFOLLOW_LINKS);
            return st.type() == UnixFiles.DIRECTORY && st.uid() == UnixFiles.currentUid() && (st.permissions() & 077) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Owned by this user or root, and writable by others only with the sticky bit (as /tmp). */
    static boolean safeParent(Path dir) {
        try {
            UnixFiles.Stat st = UnixFiles.stat(dir);
            return st.type() == UnixFiles.DIRECTORY && st.ownedByUserOrRoot()
                    && (!st.writableByOthers() || st.sticky());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    private static String firstLine(Throwable e) {
        Throwable t = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a copy left in a 0700 directory of the user's own harms nobody
        }
    }
}
