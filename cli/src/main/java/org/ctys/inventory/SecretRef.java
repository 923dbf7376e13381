package org.ctys.inventory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.ctys.exit.CtysException;
import org.ctys.os.UnixFiles;

/**
 * Where a secret lives: a file or an environment variable. The inventory only ever holds
 * this reference, never the secret, so that the file can be shared and checked in.
 */
public record SecretRef(Kind kind, String location) {

    public enum Kind { FILE, ENV }

    /** Passwords, keys and SecureOn passwords are a few dozen bytes; a larger file is a mistake. */
    static final long MAX_SIZE = 64 * 1024;
    static final String MAX_SIZE_TEXT = "64 KiB";

    private static final Set<PosixFilePermission> TOO_OPEN = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    public SecretRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
    }

    public static SecretRef file(Path path) { return new SecretRef(Kind.FILE, path.toString()); }

    public static SecretRef env(String name) { return new SecretRef(Kind.ENV, name); }

    /** Reads the secret, taking environment variables from this process. */
    public byte[] read() { return read(System.getenv()); }

    /**
     * Reads the secret. A file must be private to its owner: a secret others can read is
     * already leaked, and one others can write lets them choose what we send.
     */
    public byte[] read(Map<String, String> env) {
        return kind == Kind.FILE ? readFile(Path.of(location)) : readEnv(env);
    }

    private byte[] readEnv(Map<String, String> env) {
        String value = env.get(location);
        if (value == null) {
            throw CtysException.config("environment variable " + location + " holding a secret is not set");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] readFile(Path path) {
        ConfigFile file = new ConfigFile(path, "secret file");
        file.regular();
        try {
            // Filesystems without POSIX permissions (e.g. FAT, some network mounts) cannot be checked.
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            if (view != null) {
                PosixFileAttributes attrs = view.readAttributes();
                checkOwner(path, attrs);
                Set<PosixFilePermission> perms = attrs.permissions();
                if (perms.stream().anyMatch(TOO_OPEN::contains)) {
                    throw CtysException.config("secret file " + path + " has mode " + mode(perms)
                            + "; it must not be readable or writable by group or others (chmod 600 " + path + ")");
                }
            }
        } catch (NoSuchFileException e) {
            throw CtysException.config("secret file " + path + " does not exist");
        } catch (IOException e) {
            throw file.cannotRead(e);
        }
        return stripOneNewline(file.read(MAX_SIZE, MAX_SIZE_TEXT));
    }

    /**
     * The owner of a secret file chooses what ctys sends as the password, so only the user who
     * runs ctys or root may own it (OpenSSH asks the same of the files it trusts).
     */
    private static void checkOwner(Path path, PosixFileAttributes attrs) throws IOException {
        int owner = UnixFiles.stat(path).uid();
        int self = UnixFiles.currentUid();
        if (owner == 0 || owner == self) return;
        throw CtysException.config("secret file " + path + " is owned by " + attrs.owner().getName() + " (uid "
                + owner + "), not by you (uid " + self + ") or root; whoever owns it chooses what ctys sends"
                + " (chown " + System.getProperty("user.name") + " " + path + ")");
    }

    /** Editors add a final newline; it is never part of a password. Only one is removed. */
    private static byte[] stripOneNewline(byte[] data) {
        int end = data.length;
        if (end > 0 && data[end - 1] == '\n') {
            end--;
            if (end > 0 && data[end - 1] == '\r') end--;
        }
        if (end == data.length) return data;
        byte[] trimmed = Arrays.copyOf(data, end);
        Arrays.fill(data, (byte) 0);
        return trimmed;
    }

    private static String mode(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            // The enum is declared owner-read first, others-execute last: bit 8 down to bit 0.
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }

    /*
     * Written out: a record's generated equals and hashCode are bootstrapped through method handles
     * the first time they run, about 15 classes spun at run time that the class-data archive cannot
     * hold (Java 17), and the engine keys its secrets by SecretRef in every run that reads one.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof SecretRef r && kind == r.kind && location.equals(r.location);
    }

    @Override
    public int hashCode() { return 31 * kind.hashCode() + location.hashCode(); }

    /** Names where the secret is, never the secret itself, so it is safe in logs and messages. */
    @Override
    public String toString() { return (kind == Kind.FILE ? "file:" : "env:") + location; }
}
