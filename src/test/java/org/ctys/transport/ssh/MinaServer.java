package org.ctys.transport.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.forward.ForwardingFilter;

/**
 * An in-process SSH server on 127.0.0.1 that answers each command with a scripted reply and
 * records what it was asked: the exact command strings, the user names, the sessions and the
 * forwards (for jump chains).
 */
final class MinaServer implements AutoCloseable {

    static {
        // The server logs through the same SLF4J loggers as the client; keep test output as quiet as a run.
        SshTransport.quietMina();
    }

    /** What a command answers; {@code exit} null means the command never ends. */
    record Reply(byte[] stdout, byte[] stderr, Integer exit) {
        static Reply text(String out, String err, int exit) {
            return new Reply(out.getBytes(StandardCharsets.UTF_8), err.getBytes(StandardCharsets.UTF_8), exit);
        }

        static Reply hang() {
            return new Reply(new byte[0], new byte[0], null);
        }

        /** Reads the command's standard input to its end, records it in {@link #inputs} and prints it back, exit 0. */
        static Reply echoInput() {
            return ECHO_INPUT;
        }
    }

    private static final Reply ECHO_INPUT = new Reply(new byte[0], new byte[0], 0);

    /** What commands answered with {@link Reply#echoInput()} read on their standard input, in order. */
    final List<byte[]> inputs = new CopyOnWriteArrayList<>();

    final KeyPair hostKey;
    final List<String> commands = new CopyOnWriteArrayList<>();
    final List<String> users = new CopyOnWriteArrayList<>();
    final List<String> forwards = new CopyOnWriteArrayList<>();
    final List<String> signals = new CopyOnWriteArrayList<>();
    final AtomicInteger sessions = new AtomicInteger();
    /** Sessions that ended, either side closing. */
    final AtomicInteger closed = new AtomicInteger();
    private final SshServer server;
    private volatile Function<String, Reply> replies = c -> Reply.text("", "", 0);

    MinaServer(PublicKey authorized) throws Exception {
        hostKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPublickeyAuthenticator((user, key, session) -> {
            users.add(user);
            return KeyUtils.compareKeys(key, authorized);
        });
        server.setCommandFactory((channel, command) -> new Scripted(command));
        server.setForwardingFilter(new ForwardingFilter() {
            @Override
            public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
                forwards.add(address.getHostName() + ":" + address.getPort());
                return true;
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
        });
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                sessions.incrementAndGet();
            }

            @Override
            public void sessionClosed(Session session) {
                closed.incrementAndGet();
            }
        });
        server.start();
    }

    int port() {
        return server.getPort();
    }

    void replies(Function<String, Reply> f) {
        replies = f;
    }

    /** From now on every channel is refused (SSH_MSG_CHANNEL_OPEN_FAILURE), as a server that allows no sessions. */
    void refuseChannels() {
        server.setChannelFactories(java.util.List.of());
    }

    /** Drops every connection, as a restarted sshd would. */
    void closeSessions() {
        server.getActiveSessions().forEach(s -> s.close(true));
    }

    /** The known_hosts line OpenSSH would write for this server. */
    String knownHostsLine() {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic());
    }

    static void writeIdentity(KeyPair pair, Path file) throws Exception {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "ctys-test", (OpenSSHKeyEncryptionContext) null, out);
        }
        // private as ssh-keygen makes it: a key others can read is ignored, as OpenSSH ignores it
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    private final class Scripted implements Command {
        private final String command;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        Scripted(String command) {
            this.command = command;
        }

        private InputStream in;

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
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            commands.add(command);
            env.addSignalListener((ch, signal) -> signals.add(signal.name()));
            Reply r = replies.apply(command);
            Thread t = new Thread(() -> {
                try {
                    if (r == ECHO_INPUT) {
                        byte[] read = in.readAllBytes();
                        inputs.add(read);
                        out.write(read);
                    }
                    out.write(r.stdout());
                    out.flush();
                    err.write(r.stderr());
                    err.flush();
                    if (r.exit() != null) {
                        exit.onExit(r.exit());
                    }
                } catch (IOException e) {
                    exit.onExit(255, e.getMessage());
                }
            }, "mina-test-command");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void destroy(ChannelSession channel) {
            // Nothing to stop: a hanging reply holds no resources.
        }
    }
}
