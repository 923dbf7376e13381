package org.ctys.transport.ssh.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.ctys.transport.ssh.SshTransport;

/**
 * An OpenSSH authorized_keys file as the front door reads it: one key a line ({@code ssh-ed25519},
 * {@code ecdsa-sha2-nistp256/384/521}, {@code ssh-rsa}, each with an optional comment), comments and
 * blank lines skipped. A line with options ({@code from=}, {@code command=}, {@code cert-authority}
 * ...) is refused rather than read without them: the front door would not honour them, and a key
 * someone limited must not become an unlimited one. Errors name the file and line.
 */
public final class AuthorizedKeys {
    /** The key types accepted: those OpenSSH makes by default and still accepts. */
    static final List<String> TYPES = List.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "ssh-rsa");
    private static final String TYPES_TEXT = "ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa";
    private static final int SHOWN = 40;

    private AuthorizedKeys() {
    }

    /**
     * Reads an OpenSSH authorized_keys file (key lines; comments and blank lines skipped; a line with
     * options is refused with file:line); the predicate accepts exactly those keys. A file that
     * belongs to someone other than this user or root, or that others can write, is refused (as
     * sshd's StrictModes, except that the user a file is for may not own it: a console user need not
     * be a Unix user).
     */
    public static Predicate<PublicKey> read(Path file) throws IOException {
        // read before the front door starts: MINA's first key parsing must not log at INFO either
        SshTransport.quietMina();
        List<String> lines = lines(file);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            keys.add(key(line, file + ":" + (i + 1)));
        }
        Set<String> accepted = Set.copyOf(keys);
        return key -> key != null && accepted.contains(encoded(key));
    }

    /** The key of one line, in its canonical form ("type base64"), or an IOException saying why not. */
    private static String key(String line, String where) throws IOException {
        String type = line.split("\\s+", 2)[0];
        if (!TYPES.contains(type)) {
            if (type.matches("[a-z0-9-]+(@[a-z0-9.-]+)?") && line.split("\\s+").length >= 2
                    && line.split("\\s+")[1].matches("AAAA[A-Za-z0-9+/=]+")) {
                throw new IOException(where + ": key type " + type + " is not accepted (" + TYPES_TEXT + ")");
            }
            throw new IOException(where + ": key options are not accepted; a line must start with the key type ("
                    + TYPES_TEXT + "), this one starts with " + shown(type));
        }
        try {
            PublicKey key = PublicKeyEntry.parsePublicKeyEntry(line)
                    .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING);
            String canonical = encoded(key);
            if (canonical == null || !canonical.startsWith(type + " ")) {
                throw new IOException(where + ": not a valid " + type + " key");
            }
            return canonical;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IOException(where + ": not a valid " + type + " key: " + e.getMessage(), e);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(where)) throw e;
            throw new IOException(where + ": not a valid " + type + " key: " + e.getMessage(), e);
        }
    }

    private static List<String> lines(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("authorized keys file " + file + " is a directory");
        }
        String wrong;
        try {
            wrong = org.ctys.os.UnixFiles.untrustedOnTheWay(file, "authorized keys file", "decides who may log in");
        } catch (NoSuchFileException e) {
            throw new IOException("authorized keys file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IOException("authorized keys file " + file + " cannot be read: " + e.getMessage(), e);
        }
        // whoever can write the file, or replace it or a directory on its way, can let anyone in
        if (wrong != null) throw new IOException(wrong);
        try {
            // ISO-8859-1 maps every byte: a comment in another encoding must not make the keys unreadable
            return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IOException("authorized keys file " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new IOException("authorized keys file " + file + " cannot be read: permission denied", e);
        } catch (IOException e) {
            throw new IOException("authorized keys file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** "type base64" of a key, the same for the key read from the file and the one a client offers; null if it has none. */
    static String encoded(PublicKey key) {
        try {
            return PublicKeyEntry.toString(key);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String shown(String text) {
        return "'" + (text.length() > SHOWN ? text.substring(0, SHOWN) + "..." : text) + "'";
    }
}
