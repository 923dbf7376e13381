package org.ctys.transport.ssh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.ChannelShell;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.buffer.Buffer;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SshKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Connections that never log in, against a door with a small bound: raw TCP connections that send
 * nothing or only a version line hold their places; beyond the bound a new connection is closed
 * before the server says a word; a user logs in beside a flood below the bound and once a flood at
 * it shrinks, and her logged-in connections are neither counted nor closed; a connection that
 * does not log in within the grace time is closed, whatever it sends meanwhile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class FrontDoorStartupsIT {
    /** The bound of these tests: refused from here on, none at random before. */
    private static final int BOUND = 6;
    private static final Duration LONG_GRACE = Duration.ofSeconds(60);
    private static final Duration SHORT_GRACE = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int CONNECT_MS = 10_000;

    private Path work;
    private SshKey alice;
    private Predicate<PublicKey> aliceKeys;
    private Path hostKey;
    private final Probe probe = new Probe();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Session> logins = new ArrayList<>();
    private SshFrontDoor door;

    @BeforeAll
    void keys() throws Exception {
        work = Files.createTempDirectory("ctys-door-startups-it");
        alice = SshKey.generate(work.resolve("alice"));
        aliceKeys = AuthorizedKeys.read(Files.writeString(work.resolve("alice.keys"), alice.publicLine() + "\n"));
        hostKey = work.resolve("host_key");
        // JSch's and the door's classes and crypto loaded once: a test's login then takes well under its grace time
        door = open(LONG_GRACE);
        login();
        closeAll();
    }

    @AfterEach
    void closeAll() {
        for (Session s : logins) s.disconnect();
        logins.clear();
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a test's own socket
            }
        }
        sockets.clear();
        if (door != null) door.close();
        door = null;
        events.clear();
    }

    @AfterAll
    void removeKeys() {
        Proc.deleteTree(work);
    }

    @Test
    void beyondTheBoundANewConnectionIsClosedBeforeTheServerSaysAnythingAndTheLogSaysSoOnce() throws Exception {
        door = open(LONG_GRACE);
        List<Socket> waiting = flood(BOUND);
        for (int i = 0; i < 2 * BOUND; i++) {
            Socket refused = connect(i % 2 == 0);
            assertThat(firstLine(refused)).as("what a connection beyond the bound was sent before its close").isEmpty();
        }
        assertThat(door.waitingToLogIn()).isEqualTo(BOUND);
        for (Socket s : waiting) assertThat(closedWithin(s, Duration.ofMillis(200))).as("a connection within the bound").isFalse();
        assertThat(events).hasSize(1);
        assertThat(events.get(0)).matches("refused a connection from 127\\.0\\.0\\.1:\\d+: 6 connections are waiting to log in \\(startups 6:100:6\\)");
        door.close();
        assertThat(events).hasSize(2);
        assertThat(events.get(1)).matches("11 more connections refused \\(a line a minute at most\\); the last: refused a connection from 127\\.0\\.0\\.1:\\d+: 6 connections .*");
    }

    @Test
    void aUserGetsInBesideAFloodBelowTheBoundAndOnceAFloodAtItShrinksAndHerConnectionsAreNeitherCountedNorClosed() throws Exception {
        door = open(LONG_GRACE);
        Session first = login();
        Typing shell = shell(first);
        List<Socket> flood = flood(BOUND - 1);
        // a login needs one place, for as long as it takes
        Session second = login();
        assertThat(door.waitingToLogIn()).as("logged-in connections are not counted").isEqualTo(BOUND - 1);

        flood.addAll(flood(1));
        assertThat(firstLine(connect(false))).as("a connection beyond the bound").isEmpty();
        assertThatThrownBy(this::login).as("a login while the bound is full").isInstanceOf(JSchException.class);
        // two logged in and BOUND waiting: more connections than the bound, none of them closed
        assertThat(first.isConnected() && second.isConnected()).isTrue();
        shell.type("abc");
        shell.await("ABC");
        assertThat(door.waitingToLogIn()).isEqualTo(BOUND);

        flood.remove(0).close();
        await(() -> door.waitingToLogIn() == BOUND - 1, "the closed connection's place given up");
        Session third = login();
        assertThat(third.isConnected()).isTrue();
        shell.type("d");
        shell.await("ABCD");
    }

    @Test
    void aConnectionNotLoggedInWithinTheGraceTimeIsClosedALoggedInOneIsNot() throws Exception {
        door = open(SHORT_GRACE);
        Session user = login();
        Typing shell = shell(user);
        long start = System.nanoTime();
        Socket silent = connect(false);
        Socket versionOnly = connect(true);
        assertThat(firstLine(silent)).startsWith("SSH-2.0-");
        assertThat(firstLine(versionOnly)).startsWith("SSH-2.0-");
        assertThat(closedWithin(silent, WAIT)).as("the silent connection closed").isTrue();
        assertThat(closedWithin(versionOnly, WAIT)).as("the connection that sent its version closed").isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isBetween(SHORT_GRACE, SHORT_GRACE.plusSeconds(5));
        assertThat(door.waitingToLogIn()).isZero();

        assertThat(user.isConnected()).as("logged in before the grace time ended").isTrue();
        shell.type("x");
        shell.await("X");
        assertThat(events).filteredOn(e -> e.startsWith("closed the connection from ")).hasSize(1)
                .allMatch(e -> e.matches("closed the connection from 127\\.0\\.0\\.1:\\d+: no login within 3 s"));
        user.disconnect();
        door.close();
        assertThat(events).anyMatch(e -> e.matches("1 more connection closed without a login \\(a line a minute at most\\); "
                + "the last: closed the connection from 127\\.0\\.0\\.1:\\d+: no login within 3 s"));
    }

    /**
     * MINA's auth timeout starts again at each request for the authentication service, and so does
     * its count of attempts: a client that repeats the request stays as long as it likes. The grace
     * time counts from the accept; the client, its keys established, is told why it is closed.
     */
    @Test
    void aClientThatKeepsAskingForTheAuthenticationServiceIsClosedAfterTheGraceTimeAndToldWhy() throws Exception {
        door = open(SHORT_GRACE);
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier((s, remote, key) -> KeyUtils.getFingerPrint(key).equals(door.hostKeyFingerprint()));
        List<String> told = new CopyOnWriteArrayList<>();
        client.addSessionListener(new org.apache.sshd.common.session.SessionListener() {
            @Override
            public void sessionDisconnect(org.apache.sshd.common.session.Session s, int reason, String msg, String language,
                                          boolean initiator) {
                if (!initiator) told.add(msg);
            }
        });
        client.start();
        try (ClientSession session = client.connect("alice", "127.0.0.1", door.port()).verify(WAIT).getClientSession()) {
            long start = System.nanoTime();
            session.waitFor(EnumSet.of(ClientSession.ClientSessionEvent.WAIT_AUTH, ClientSession.ClientSessionEvent.CLOSED), WAIT);
            while (session.isOpen() && System.nanoTime() - start < WAIT.toNanos()) {
                Buffer request = session.createBuffer(SshConstants.SSH_MSG_SERVICE_REQUEST);
                request.putString("ssh-userauth");
                try {
                    session.writePacket(request);
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(250);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(session.isOpen()).as("closed by the door").isFalse();
            assertThat(took).isBetween(SHORT_GRACE.minusMillis(500), SHORT_GRACE.plusSeconds(5));
            assertThat(told).containsExactly("no login within 3 s");
        } finally {
            client.stop();
        }
        assertThat(door.waitingToLogIn()).isZero();
    }

    private SshFrontDoor open(Duration grace) throws IOException {
        return SshFrontDoor.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), hostKey,
                (user, key) -> user.equals("alice") && aliceKeys.test(key), probe,
                new SshFrontDoor.Settings(Duration.ofSeconds(10), events::add), new Startups.Limits(BOUND, 100, BOUND, grace));
    }

    /** n connections that never log in, every other one sending its version line; each given its place (the server's version line). */
    private List<Socket> flood(int n) throws IOException {
        List<Socket> flood = new ArrayList<>();
        int before = door.waitingToLogIn();
        for (int i = 0; i < n; i++) {
            Socket s = connect(i % 2 == 1);
            assertThat(firstLine(s)).as("the server's version line to a connection within the bound").startsWith("SSH-2.0-");
            flood.add(s);
        }
        assertThat(door.waitingToLogIn()).isEqualTo(before + n);
        return flood;
    }

    private Socket connect(boolean sendVersion) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), door.port()), CONNECT_MS);
        if (sendVersion) s.getOutputStream().write("SSH-2.0-x\r\n".getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    /** The first line the server sends ("SSH-2.0-..."), or "" when it closes the connection without one. */
    private static String firstLine(Socket s) throws IOException {
        s.setSoTimeout((int) WAIT.toMillis());
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        try {
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) line.write(b);
        } catch (SocketException reset) {
            // closed with what the client sent unread
        }
        return line.toString(StandardCharsets.US_ASCII).strip();
    }

    /** Whether the server closes the connection within {@code limit}; what it sends before is skipped. */
    private static boolean closedWithin(Socket s, Duration limit) throws IOException {
        long until = System.nanoTime() + limit.toNanos();
        byte[] b = new byte[4096];
        InputStream in = s.getInputStream();
        while (System.nanoTime() < until) {
            s.setSoTimeout((int) Math.max(1, (until - System.nanoTime()) / 1_000_000));
            try {
                if (in.read(b) < 0) return true;
            } catch (SocketTimeoutException quiet) {
                return false;
            } catch (SocketException reset) {
                return true;
            }
        }
        return false;
    }

    private Session login() throws Exception {
        JSch jsch = new JSch();
        String line = Files.readString(Path.of(hostKey + ".pub")).strip();
        Path known = Files.writeString(work.resolve("known_hosts"),
                "[127.0.0.1]:" + door.port() + " " + line.substring(0, line.lastIndexOf(" ctys-consoled")) + "\n");
        jsch.setKnownHosts(known.toString());
        jsch.addIdentity(alice.privateKey().toString());
        Session s = jsch.getSession("alice", "127.0.0.1", door.port());
        s.setConfig("StrictHostKeyChecking", "yes");
        s.setConfig("PreferredAuthentications", "publickey");
        s.connect(CONNECT_MS);
        logins.add(s);
        return s;
    }

    /** A shell on a logged-in connection: the probe echoes what is typed upper-cased. */
    private static Typing shell(Session s) throws Exception {
        ChannelShell shell = (ChannelShell) s.openChannel("shell");
        Typing t = new Typing(shell.getOutputStream());
        shell.setOutputStream(t.screen);
        shell.connect(CONNECT_MS);
        t.await("user=alice cmd=[]");
        return t;
    }

    private static void await(java.util.function.BooleanSupplier done, String what) {
        assertThat(Proc.await(done, WAIT)).as("no " + what + " within " + WAIT.toSeconds() + " s").isTrue();
    }

    /** What a shell showed, and its keyboard. */
    private static final class Typing {
        final ByteArrayOutputStream screen = new ByteArrayOutputStream(); // its methods are synchronized
        private final OutputStream keys;

        Typing(OutputStream keys) {
            this.keys = keys;
        }

        void type(String text) throws IOException {
            keys.write(text.getBytes(StandardCharsets.US_ASCII));
            keys.flush();
        }

        void await(String shown) {
            FrontDoorStartupsIT.await(() -> screen.toString(StandardCharsets.ISO_8859_1).contains(shown),
                    "\"" + shown + "\" on the shell's screen");
        }
    }
}
