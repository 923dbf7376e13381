package org.ctys.transport.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.forward.ForwardingFilter;

/**
 * The SSH server the launcher's class-data training logs in to, so that the archive holds the
 * classes of a real login (key exchange, host key check, public-key auth, a command, a jump host's
 * forward) and not only those of a refused connection. Without them a first login spent about a
 * quarter of a second loading and verifying classes from the jar.
 *
 * <p>It listens on 127.0.0.1 only, on a port the kernel picks, for {@code lifetime} seconds at
 * most, and is stopped by the launcher as soon as the training runs are done. Every command it is
 * asked to run prints one line and ends with status 0; nothing is executed. A login shell prints a
 * prompt and ends when its input says {@code exit} or ends. Forwards are allowed
 * to its own address only. For each key type of {@link #KINDS} it writes a home under the given
 * directory: an identity of that type, a known_hosts that names only the host key of that type, and
 * an ssh config with the host {@code train-ssh}. A file {@code ready} holding the port is written
 * last.
 *
 * <p>Usage (the launcher's): {@code java -cp ctys.jar org.ctys.transport.ssh.TrainingServer DIR LIFETIME}.
 */
public final class TrainingServer {

    /** Key types trained: one home each, with a user key and the host key of that type. */
    static final Map<String, String> KINDS = kinds();

    private TrainingServer() {
    }

    private static Map<String, String> kinds() {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("ed25519", KeyPairProvider.SSH_ED25519);
        k.put("ecdsa", KeyPairProvider.ECDSA_SHA2_NISTP256);
        k.put("rsa", KeyPairProvider.SSH_RSA);
        return k;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: TrainingServer DIR LIFETIME-SECONDS");
            System.exit(2);
        }
        SshTransport.quietMina();
        Path dir = Path.of(args[0]);
        long lifetime = Long.parseLong(args[1]);
        SshServer server = start(dir);
        try {
            Thread.sleep(lifetime * 1000);
        } finally {
            server.stop(true);
        }
    }

    /** Starts the server and writes the homes and {@code ready}; the caller stops it. */
    static SshServer start(Path dir) throws Exception {
        List<KeyPair> hostKeys = new ArrayList<>();
        List<PublicKey> users = new ArrayList<>();
        Map<String, KeyPair[]> pairs = new LinkedHashMap<>();
        for (Map.Entry<String, String> k : KINDS.entrySet()) {
            int bits = k.getKey().equals("rsa") ? 2048 : 256;
            KeyPair host = KeyUtils.generateKeyPair(k.getValue(), bits);
            KeyPair user = KeyUtils.generateKeyPair(k.getValue(), bits);
            hostKeys.add(host);
            users.add(user.getPublic());
            pairs.put(k.getKey(), new KeyPair[] {host, user});
        }
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKeys));
        server.setPublickeyAuthenticator((user, key, session) -> users.stream().anyMatch(u -> KeyUtils.compareKeys(u, key)));
        server.setCommandFactory((channel, command) -> new Answer(false));
        server.setShellFactory(channel -> new Answer(true));
        server.setForwardingFilter(new OwnAddressOnly(server));
        server.start();
        int port = server.getPort();
        for (Map.Entry<String, KeyPair[]> p : pairs.entrySet()) {
            Path ssh = Files.createDirectories(dir.resolve(p.getKey()).resolve(".ssh"));
            Files.writeString(ssh.resolve("known_hosts"),
                    "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(p.getValue()[0].getPublic()) + "\n");
            Files.writeString(ssh.resolve("config"), "Host train-ssh\n  HostName 127.0.0.1\n  Port " + port + "\n");
            writeIdentity(p.getValue()[1], ssh.resolve("id_" + p.getKey()));
        }
        Path ready = dir.resolve("ready.tmp");
        Files.writeString(ready, port + "\n");
        Files.move(ready, dir.resolve("ready"), StandardCopyOption.ATOMIC_MOVE);
        return server;
    }

    private static void writeIdentity(KeyPair pair, Path file) throws Exception {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "ctys-training", (OpenSSHKeyEncryptionContext) null, out);
        }
    }

    /** Forwards only to the server's own address: a jump host's hop back to itself. */
    private static final class OwnAddressOnly implements ForwardingFilter {
        private final SshServer server;

        OwnAddressOnly(SshServer server) {
            this.server = server;
        }

        @Override
        public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
            return "127.0.0.1".equals(address.getHostName()) && address.getPort() == server.getPort();
        }

        @Override
        public boolean canForwardAgent(Session session, String requestType) {
            return false;
        }

        @Override
        public boolean canForwardX11(Session session, String requestType) {
            return false;
        }

        @Override
        public boolean canListen(SshdSocketAddress address, Session session) {
            return false;
        }
    }

    /**
     * A command: prints one line on stdout and ends with 0, whatever the command. A shell: prints a
     * prompt, reads until a line {@code exit} or the end of its input, and ends with 0.
     */
    private static final class Answer implements Command {
        private final boolean shell;
        private InputStream in;
        private OutputStream out;
        private ExitCallback exit;

        Answer(boolean shell) {
            this.shell = shell;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            // nothing is written there
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            // answered after start returns, as a command that runs would: the exec request is
            // acknowledged before its output and exit status
            Thread t = new Thread(() -> {
                try {
                    out.write((shell ? "$ " : "trained\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (shell) {
                        untilExit();
                    }
                    exit.onExit(0);
                } catch (IOException e) {
                    exit.onExit(255, e.getMessage());
                }
            }, "ctys-training-answer");
            t.setDaemon(true);
            t.start();
        }

        private void untilExit() throws IOException {
            java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.strip().equals("exit")) {
                    out.write("logout\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return;
                }
            }
        }

        @Override
        public void destroy(ChannelSession channel) {
            // nothing runs
        }
    }
}
