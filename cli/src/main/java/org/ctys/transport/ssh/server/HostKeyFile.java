package org.ctys.transport.ssh.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The front door's host key: an OpenSSH private key file, read as sshd reads its own (no
 * passphrase; refused when group or others have any access to it, as sshd refuses an unprotected
 * key), or made as a new ed25519 key, mode 0600, with its public half beside it ({@code FILE.pub}),
 * when there is no file yet. Every failure is an {@link IOException} whose message names the file
 * and what to do.
 */
final class HostKeyFile {
    private static final String COMMENT = "ctys-consoled host key";
    private static final Set<PosixFilePermission> OTHERS = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private HostKeyFile() {
    }

    /** The key pairs in {@code file}, made first when the file does not exist. */
    static List<KeyPair> loadOrMake(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(file)) {
            return List.of(make(file));
        }
        return load(file);
    }

    static List<KeyPair> load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("host key " + file + " is not a regular file");
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (mode.stream().anyMatch(OTHERS::contains)) {
            throw new IOException("host key " + file + " is accessible by group or others (mode "
                    + octal(mode) + "); a private key must not be: chmod 600 " + file);
        }
        List<KeyPair> keys = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> read = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in,
                    (session, resource, retry) -> {
                        throw new IOException("host key " + file + " is protected by a passphrase; the daemon needs one "
                                + "without (ssh-keygen -p -N '' -f " + file + ")");
                    });
            if (read != null) read.forEach(keys::add);
        } catch (AccessDeniedException e) {
            throw new IOException("host key " + file + " cannot be read: permission denied", e);
        } catch (NoSuchFileException e) {
            throw new IOException("host key " + file + " has gone while it was read", e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("host key " + file + " is not an OpenSSH private key: " + e.getMessage(), e);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("host key ")) throw e;
            throw new IOException("host key " + file + " is not an OpenSSH private key: " + e.getMessage(), e);
        }
        if (keys.isEmpty()) {
            throw new IOException("host key " + file + " holds no private key (an OpenSSH private key file is needed, "
                    + "e.g. ssh-keygen -t ed25519 -N '' -f " + file + ")");
        }
        return keys;
    }

    /** A new ed25519 key at {@code file} (0600) and its public half at {@code file.pub}; the file appears whole or not at all. */
    static KeyPair make(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            throw new IOException("cannot make host key " + file + ": directory " + dir + " does not exist");
        }
        KeyPair pair;
        try {
            pair = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make an ed25519 host key: " + e.getMessage(), e);
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(tmp)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, COMMENT, (OpenSSHKeyEncryptionContext) null, out);
            }
            // a link planted at FILE.pub is not followed: the write would go wherever it points
            Path pub = Path.of(file + ".pub");
            if (Files.isSymbolicLink(pub)) throw new IOException("cannot make host key " + file + ": " + pub + " is a symbolic link");
            Files.writeString(pub, PublicKeyEntry.toString(pair.getPublic()) + " " + COMMENT + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                    java.nio.file.StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (AccessDeniedException e) {
            throw new IOException("cannot make host key " + file + ": permission denied in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write host key " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) Files.deleteIfExists(tmp);
        }
        return pair;
    }

    private static String octal(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission p : mode) bits |= 1 << (8 - p.ordinal());
        return String.format("%04o", bits);
    }
}
