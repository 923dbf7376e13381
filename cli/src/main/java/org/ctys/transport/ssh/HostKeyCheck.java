package org.ctys.transport.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * The known_hosts decision for one connection attempt, under the name the user meant rather than
 * the socket address: through a jump host or a ProxyCommand the socket is local, but the key must
 * be checked as the far host's. Every file OpenSSH reads is read (the user's and the global ones),
 * and the verdict follows OpenSSH's, with one deliberate difference: a key found in one file is
 * still refused while another file holds a different key of the same type for the host (OpenSSH
 * accepts the first match); ctys never accepts a key that any of the files contradicts.
 *
 * <ul>
 *   <li>a matching {@code @revoked} line refuses the key, even with accept-new;</li>
 *   <li>a host certificate is refused: ctys does not verify {@code @cert-authority} signatures;</li>
 *   <li>the key listed for the host: accepted, unless a same-type key differs elsewhere;</li>
 *   <li>other keys listed, none this one: REMOTE HOST IDENTIFICATION HAS CHANGED, never appended;</li>
 *   <li>nothing listed: unknown; with accept-new it is appended to the first UserKnownHostsFile, as
 *       OpenSSH's accept-new does;</li>
 *   <li>nothing listed but a {@code @cert-authority} line covers the host: unknown, and not added even with
 *       accept-new (OpenSSH would verify the host's certificate; ctys cannot, so it takes nothing on trust).</li>
 * </ul>
 */
final class HostKeyCheck {

    static final AttributeRepository.AttributeKey<HostKeyCheck> KEY = new AttributeRepository.AttributeKey<>();

    /** known_hosts is shared by every thread of the run and by other ssh clients: decide and append under one lock. */
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
            if (key instanceof OpenSshCertificate cert) {
                refusal = new SshFailure(SshFailure.Kind.UNKNOWN_HOST_KEY, where() + " presented a host certificate ("
                        + cert.getKeyType() + "); ctys does not verify host certificates (@cert-authority lines) and"
                        + " refuses to connect: list the host's plain key in known_hosts instead");
                return false;
            }
            byte[] offered = KnownHosts.blob(key);
            SshFailure why = decide(offered);
            if (why == null) {
                return true;
            }
            if (why.kind() != SshFailure.Kind.UNKNOWN_HOST_KEY || !acceptNew) {
                refusal = why;
                return false;
            }
            synchronized (APPEND_LOCK) {
                why = decide(offered); // another thread of this run may have added it meanwhile
                if (why == null) {
                    return true;
                }
                if (why.kind() != SshFailure.Kind.UNKNOWN_HOST_KEY) {
                    refusal = why;
                    return false;
                }
                if (hop.userKnownHosts().isEmpty()) {
                    refusal = new SshFailure(SshFailure.Kind.CONFIG, why.getMessage()
                            + "; --accept-new-host-keys has no file to add it to (UserKnownHostsFile none)");
                    return false;
                }
                append(hop.userKnownHosts().get(0), key);
                return true;
            }
        } catch (IOException e) {
            refusal = new SshFailure(SshFailure.Kind.CONFIG, "cannot read known_hosts for " + where() + ": "
                    + Durations.reason(e), e);
            return false;
        } catch (RuntimeException e) {
            refusal = new SshFailure(SshFailure.Kind.CONFIG, "cannot check the host key of " + where() + ": " + e, e);
            return false;
        }
    }

    /** The key types listed for the host (plain lines), for ordering the algorithms proposed; none if unreadable. */
    java.util.Set<String> knownKeyTypes() {
        try {
            return KnownHosts.matching(hop.knownHosts(), hop.knownHostsName()).stream()
                    .filter(e -> e.marker() == KnownHosts.Marker.NONE).map(KnownHosts.Entry::keyType)
                    .collect(java.util.stream.Collectors.toSet());
        } catch (IOException e) {
            return java.util.Set.of(); // the verdict will say why the files cannot be read
        }
    }

    /** Null when the files vouch for the key; else why not (UNKNOWN_HOST_KEY when they say nothing of it). */
    SshFailure decide(byte[] offered) throws IOException {
        String name = hop.knownHostsName();
        List<KnownHosts.Entry> entries = KnownHosts.matching(hop.knownHosts(), name);
        String type = KnownHosts.blobType(offered);
        String sent = "the " + KnownHosts.typeName(type) + " key it sent (" + KnownHosts.fingerprint(offered) + ")";
        for (KnownHosts.Entry e : entries) {
            if (e.marker() == KnownHosts.Marker.REVOKED && e.sameKey(offered)) {
                return new SshFailure(SshFailure.Kind.CHANGED_HOST_KEY, "REVOKED HOST KEY for " + where() + ": " + sent
                        + " is marked @revoked in " + e.where() + "; refusing to connect (a stolen key may be used to"
                        + " impersonate this host)");
            }
        }
        List<KnownHosts.Entry> plain = entries.stream().filter(e -> e.marker() == KnownHosts.Marker.NONE).toList();
        KnownHosts.Entry listed = plain.stream().filter(e -> e.sameKey(offered)).findFirst().orElse(null);
        if (listed != null) {
            List<KnownHosts.Entry> contradicting = plain.stream()
                    .filter(e -> !e.sameKey(offered) && e.keyType().equals(type)).toList();
            if (contradicting.isEmpty()) {
                return null;
            }
            return new SshFailure(SshFailure.Kind.CHANGED_HOST_KEY, "REMOTE HOST IDENTIFICATION HAS CHANGED for "
                    + where() + ": " + sent + " is listed in " + listed.where() + ", but " + offending(contradicting)
                    + "; refusing to connect while the files disagree (remove the stale entry: "
                    + removeWith(contradicting.get(0)) + ")");
        }
        if (!plain.isEmpty()) {
            return new SshFailure(SshFailure.Kind.CHANGED_HOST_KEY, "REMOTE HOST IDENTIFICATION HAS CHANGED for "
                    + where() + ": " + sent + ", but " + offending(plain) + "; refusing to connect (someone could be"
                    + " eavesdropping, or the host key was just changed: if you know it was, remove the old entry with "
                    + removeWith(plain.get(0)) + ")");
        }
        Path addTo = hop.userKnownHosts().isEmpty() ? null : hop.userKnownHosts().get(0);
        String scan = addTo == null ? "" : "add it to " + addTo + " with ssh-keyscan -p " + hop.port() + " " + hop.hostName();
        String unknown = "unknown host key for " + where() + " (" + KnownHosts.typeName(type) + " "
                + KnownHosts.fingerprint(offered) + ")";
        if (entries.stream().anyMatch(e -> e.marker() == KnownHosts.Marker.CERT_AUTHORITY)) {
            // The user trusts a CA for this host, which ctys cannot check: it will not take the key on first use.
            return new SshFailure(SshFailure.Kind.CONFIG, unknown + "; only a @cert-authority line matches it, and ctys"
                    + " does not verify host certificates (not even with --accept-new-host-keys): " + scan);
        }
        return new SshFailure(SshFailure.Kind.UNKNOWN_HOST_KEY, unknown + "; rerun with --accept-new-host-keys to add it"
                + (addTo == null ? "" : ", or " + scan));
    }

    private String offending(List<KnownHosts.Entry> entries) {
        String listed = entries.stream().limit(3).map(e -> e.where() + " has " + e.describe())
                .collect(Collectors.joining(", "));
        return listed + (entries.size() > 3 ? " and " + (entries.size() - 3) + " more lines" : "")
                + " for " + hop.knownHostsName();
    }

    private String removeWith(KnownHosts.Entry e) {
        return "ssh-keygen -f '" + e.file() + "' -R '" + hop.knownHostsName() + "'";
    }

    private String where() {
        return hop.hostName() + " port " + hop.port()
                + (hop.name().equals(hop.hostName()) ? "" : " (" + hop.name() + ")");
    }

    private void append(Path file, PublicKey key) throws IOException {
        // HashKnownHosts yes (Debian's /etc/ssh/ssh_config sets it): the name as ssh writes it then, |1|salt|HMAC
        String name = hop.hashKnownHosts() ? KnownHosts.hashed(hop.knownHostsName()) : hop.knownHostsName();
        String line = name + " " + PublicKeyEntry.toString(key) + "\n";
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
