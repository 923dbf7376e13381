package org.ctys.transport.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * The known_hosts decision for one connection attempt, under the name the user meant rather than
 * the socket address: through a jump host the socket is a local forward, but the key must be
 * checked as the far host's. MINA's KnownHostsServerKeyVerifier keys on the socket address and
 * reports only true/false, so the check is ours and remembers why it refused.
 */
final class HostKeyCheck {

    static final AttributeRepository.AttributeKey<HostKeyCheck> KEY = new AttributeRepository.AttributeKey<>();

    /** known_hosts is shared by every thread of the run and by other ssh clients: append whole lines under one lock. */
    private static final Object APPEND_LOCK = new Object();

    private final Hop hop;
    private final boolean acceptNew;
    private volatile SshFailure refusal;

    HostKeyCheck(Hop hop, boolean acceptNew) {
        this.hop = hop;
        this.acceptNew = acceptNew;
    }

    /** The check a session was opened with; MINA hands the verifier only the session. */
    static boolean verify(ClientSession session, PublicKey key) {
        HostKeyCheck check = session.getConnectionContext() == null ? null
                : session.getConnectionContext().getAttribute(KEY);
        // A session without a check was not opened by SshTransport: refuse rather than trust it.
        return check != null && check.verify(key);
    }

    /** Why the key was refused, or null when it was not. */
    SshFailure refusal() {
        return refusal;
    }

    boolean verify(PublicKey key) {
        try {
            List<PublicKey> known = new ArrayList<>();
            boolean revoked = false;
            for (Path file : hop.knownHosts()) {
                for (KnownHostEntry e : read(file)) {
                    if (!e.isHostMatch(hop.hostName(), hop.port())) {
                        continue;
                    }
                    String marker = e.getMarker();
                    PublicKey k = e.getKeyEntry() == null ? null
                            : e.getKeyEntry().resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.IGNORING);
                    if (k == null || "cert-authority".equals(marker)) {
                        continue; // key types MINA cannot read, and CAs, say nothing about this key
                    }
                    if ("revoked".equals(marker)) {
                        revoked |= KeyUtils.compareKeys(k, key);
                    } else {
                        known.add(k);
                    }
                }
            }
            if (revoked) {
                refusal = new SshFailure(SshFailure.Kind.CHANGED_HOST_KEY, "host key of " + where()
                        + " (" + KeyUtils.getFingerPrint(key) + ") is marked @revoked in known_hosts; refusing to connect");
                return false;
            }
            for (PublicKey k : known) {
                if (KeyUtils.compareKeys(k, key)) {
                    return true;
                }
            }
            if (!known.isEmpty()) {
                // Any recorded key that differs is treated as a change, whatever its type: an attacker
                // offering a different key type must not slip through as "new".
                List<String> prints = known.stream().map(KeyUtils::getFingerPrint).toList();
                refusal = new SshFailure(SshFailure.Kind.CHANGED_HOST_KEY, "HOST KEY CHANGED for " + where()
                        + ": known_hosts has " + String.join(", ", prints) + " but the host offered "
                        + KeyUtils.getFingerPrint(key) + "; refusing to connect (possible man-in-the-middle;"
                        + " if the host was reinstalled, remove the old entry with ssh-keygen -R)");
                return false;
            }
            if (!acceptNew) {
                refusal = new SshFailure(SshFailure.Kind.UNKNOWN_HOST_KEY, "unknown host key for " + where()
                        + " (" + KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key) + "); rerun with"
                        + " --accept-new-host-keys to add it, or add it to " + hop.knownHosts().get(0)
                        + " with ssh-keyscan -p " + hop.port() + " " + hop.hostName());
                return false;
            }
            append(hop.knownHosts().get(0), key);
            return true;
        } catch (IOException | UncheckedIOException e) {
            refusal = new SshFailure(SshFailure.Kind.CONFIG, "cannot use known_hosts for " + where() + ": " + e.getMessage(), e);
            return false;
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            refusal = new SshFailure(SshFailure.Kind.CONFIG, "cannot check the host key of " + where() + ": " + e, e);
            return false;
        }
    }

    private String where() {
        return hop.hostName() + " port " + hop.port()
                + (hop.name().equals(hop.hostName()) ? "" : " (" + hop.name() + ")");
    }

    private static List<KnownHostEntry> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return KnownHostEntry.readKnownHostEntries(file);
    }

    private void append(Path file, PublicKey key) throws IOException {
        String line = hop.knownHostsName() + " " + PublicKeyEntry.toString(key) + "\n";
        synchronized (APPEND_LOCK) {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (Files.exists(file) && Files.size(file) > 0) {
                byte[] all = Files.readAllBytes(file);
                if (all[all.length - 1] != '\n') {
                    line = "\n" + line; // never glue our entry onto a hand-edited last line
                }
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }
}
