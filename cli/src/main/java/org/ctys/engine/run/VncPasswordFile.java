package org.ctys.engine.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The VNC password as a viewer's {@code -passwd} file: the format {@code vncpasswd} writes, the
 * first eight bytes of the password DES-encrypted with the fixed key every VNC implementation
 * uses. That is obfuscation, not protection: the file is created mode 0600 in a private
 * directory and removed when the viewer ends. The password never reaches argv or the environment.
 */
public final class VncPasswordFile implements AutoCloseable {
    /**
     * VNC's fixed key {23,82,107,6,35,78,88,7}, each byte bit-reversed as VNC's own DES (d3des)
     * reads keys, so that the standard DES of the JDK computes the same.
     */
    private static final byte[] KEY = {(byte) 0xe8, 0x4a, (byte) 0xd6, 0x60, (byte) 0xc4, 0x72, 0x1a, (byte) 0xe0};

    private final Path dir;
    private final Path file;

    private VncPasswordFile(Path dir, Path file) {
        this.dir = dir;
        this.file = file;
    }

    /** Writes {@code password} (only its first 8 bytes count in VNC authentication) to a new private file. */
    public static VncPasswordFile write(byte[] password) throws IOException {
        Path dir = Files.createTempDirectory("ctys-vnc-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = dir.resolve("passwd");
        byte[] obfuscated = obfuscate(password);
        try {
            Files.write(Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    obfuscated, StandardOpenOption.WRITE);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
            throw e;
        } finally {
            Arrays.fill(obfuscated, (byte) 0);
        }
        return new VncPasswordFile(dir, file);
    }

    /** What {@code vncpasswd -f} writes for {@code password}. */
    static byte[] obfuscate(byte[] password) {
        byte[] block = Arrays.copyOf(password, 8); // longer: cut, shorter: padded with zeros
        try {
            Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
            des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "DES"));
            return des.doFinal(block);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DES is part of every JDK", e);
        } finally {
            Arrays.fill(block, (byte) 0);
        }
    }

    public Path path() { return file; }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // the directory is private to this user; nothing else can be done about it
        }
    }
}
