package org.ctys.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.NetLab;
import org.ctys.testkit.OpenSshd;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SshKey;
import org.ctys.testkit.VncServer;
import org.ctys.testkit.Xvfb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ctys -t vnc -a create} against a real Xtigervnc inside a network namespace reached only
 * through two SSH hops (root - a - b, the server on b's loopback), with the real xtigervncviewer
 * on an Xvfb here: the viewer's screen shows the colour the server was painted, the viewer is
 * detached from ctys, and once it is closed the forward's port and the ctys holding it are gone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
class VncOverTwoHopsIT {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final Pattern OPENED = Pattern.compile("\\(pid (\\d+)\\) on 127\\.0\\.0\\.1::(\\d+), forward held by ctys pid (\\d+)");

    private Path work;
    private Path home;
    private Path bHome;
    private SshKey key;
    private NetLab lab;
    private NetLab.Hop a;
    private NetLab.Hop b;
    private final List<OpenSshd> sshds = new ArrayList<>();
    private Xvfb xvfb;
    private final List<VncServer> servers = new ArrayList<>();
    private final List<Long> started = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        Proc.requireRoot();
        Proc.require("xtigervncviewer", "tigervnc-viewer");
        Proc.require("vncpasswd", "tigervnc-tools");
        work = Files.createTempDirectory("ctys-vnc-it");
        key = SshKey.generate(work.resolve("key"));
        lab = NetLab.create("ctysvnc");
        List<NetLab.Hop> hops = lab.chain("10.231", "a", "b");
        a = hops.get(0);
        b = hops.get(1);
        bHome = Files.createDirectories(work.resolve("b-home"));
        sshds.add(OpenSshd.start(work.resolve("a"), a.ns(), a.address(), 22, key.publicKey()));
        // b shares this host's file system: its sessions get a HOME of their own for START's ~/.vnc/passwd
        sshds.add(OpenSshd.start(work.resolve("b"), b.ns(), b.address(), 22, key.publicKey(),
                List.of("SetEnv HOME=" + bHome)));
        home = Files.createDirectories(work.resolve("home"));
        Files.copy(key.privateKey(), Files.createDirectories(home.resolve(".ssh")).resolve("id_ed25519"));
        for (OpenSshd s : sshds) s.trustIn(home);
        xvfb = Xvfb.start(work.resolve("xvfb.log"));
    }

    @AfterEach
    void closeViewers() {
        // whatever a failed test left: the viewer and the ctys that holds its forward
        for (long pid : started) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        started.clear();
        servers.forEach(VncServer::close);
        servers.clear();
    }

    @AfterAll
    void stop() {
        if (xvfb != null) xvfb.close();
        sshds.forEach(OpenSshd::kill);
        if (lab != null) lab.close();
        Proc.deleteTree(work);
    }

    @Test
    void theViewerShowsTheServersColourAndTheForwardEndsWithIt() throws Exception {
        VncServer server = server(null);
        server.paint("#ff8000");
        Proc.Outcome r = ctys().run("-t", "vnc", "-a", "create=l:it", "-J", "root@" + a.address(), "root@" + b.address());
        assertThat(r.exit()).as(r.toString()).isZero();
        Matcher m = OPENED.matcher(r.out());
        assertThat(m.find()).as("the report names the viewer, the port and the keeper: " + r.out()).isTrue();
        long viewer = Long.parseLong(m.group(1));
        int port = Integer.parseInt(m.group(2));
        long keeper = Long.parseLong(m.group(3));
        started.addAll(List.of(viewer, keeper));

        assertThat(awaitPixel("#FF8000")).as("the middle of the viewer's screen").isEqualTo("#FF8000");
        assertThat(listens(port)).as("the forward on 127.0.0.1:" + port).isTrue();
        assertThat(noSshProcess()).as("no ssh -L process").isTrue();

        ProcessHandle.of(viewer).orElseThrow().destroy();
        assertThat(Proc.await(() -> !listens(port), WAIT, Duration.ofMillis(100)))
                .as("the forward's port closes with the viewer").isTrue();
        assertThat(Proc.await(() -> ended(keeper), WAIT, Duration.ofMillis(100)))
                .as("the ctys holding the forward ends with the viewer").isTrue();
    }

    @Test
    void thePasswordFromTheInventoryReachesTheViewerAsAFileOnly() throws Exception {
        Path passwd = work.resolve("server-passwd");
        Proc.ok("sh", "-c", "printf 'vnc-it-1\\n' | vncpasswd -f > " + Proc.shellQuote(passwd.toString()));
        VncServer server = server(passwd);
        server.paint("#00c0ff");
        Path secret = work.resolve("vnc-password");
        Files.writeString(secret, "vnc-it-1\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path inventory = work.resolve("inventory.yaml");
        Files.writeString(inventory, """
                machines:
                  deskb:
                    host: %s
                    ssh: {user: root, jump: [root@%s]}
                    vnc: {password-file: %s}
                """.formatted(b.address(), a.address(), secret));
        Proc.Outcome dry = ctys().inventory(inventory).run("-n", "-t", "vnc", "-a", "create", "deskb");
        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("-passwd '<file>'").contains("-J root@" + a.address()).doesNotContain("vnc-it-1");

        Proc.Outcome r = ctys().inventory(inventory).run("-t", "vnc", "-a", "create", "deskb");
        assertThat(r.exit()).as(r.toString()).isZero();
        Matcher m = OPENED.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        long viewer = Long.parseLong(m.group(1));
        started.addAll(List.of(viewer, Long.parseLong(m.group(3))));
        String cmd = ProcessHandle.of(viewer).flatMap(h -> h.info().commandLine()).orElse("");
        assertThat(cmd).contains("-passwd").doesNotContain("vnc-it-1");
        Path file = Path.of(cmd.replaceAll(".*-passwd (\\S+).*", "$1"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(awaitPixel("#00C0FF")).isEqualTo("#00C0FF");
        ProcessHandle.of(viewer).orElseThrow().destroy();
        assertThat(Proc.await(() -> !Files.exists(file), WAIT, Duration.ofMillis(100)))
                .as("the password file goes with the viewer").isTrue();
    }

    @Test
    void aMissingPasswordFileIsAConfigurationErrorBeforeAnythingStarts() throws Exception {
        Path inventory = work.resolve("inventory-missing.yaml");
        Files.writeString(inventory, """
                machines:
                  deskb:
                    host: %s
                    ssh: {user: root, jump: [root@%s]}
                    vnc: {password-file: %s}
                """.formatted(b.address(), a.address(), work.resolve("no-such-password")));
        Proc.Outcome r = ctys().inventory(inventory).run("-t", "vnc", "-a", "create", "deskb");
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.err()).contains("no-such-password");
        assertThat(noViewer()).isTrue();
    }

    @Test
    void withoutAServerTheTargetFailsNamingStart() {
        Proc.Outcome r = ctys().run("-t", "vnc", "-a", "create=connect", "-J", "root@" + a.address(), "root@" + b.address());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("no VNC server listens on " + b.address()).contains("START");
        assertThat(noViewer()).isTrue();
    }

    @Test
    void startStartsXtigervncOnTheMachineAndTheViewerReachesIt() throws Exception {
        Files.createDirectories(bHome.resolve(".vnc"));
        Proc.ok("sh", "-c", "printf 'start-it\\n' | vncpasswd -f > " + Proc.shellQuote(bHome.resolve(".vnc/passwd").toString()));
        Path secret = work.resolve("start-password");
        Files.writeString(secret, "start-it");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path inventory = work.resolve("inventory-start.yaml");
        Files.writeString(inventory, """
                machines:
                  deskb:
                    host: %s
                    ssh: {user: root, jump: [root@%s]}
                    vnc: {password-env: VNC_IT_PASSWORD}
                """.formatted(b.address(), a.address()));
        Proc.Outcome r = ctys().inventory(inventory).env("VNC_IT_PASSWORD", "start-it")
                .run("-t", "vnc", "-a", "create=start,display:77", "deskb");
        // what START left running on b is stopped whatever the outcome
        try {
            assertThat(r.exit()).as(r.toString()).isZero();
            Matcher m = OPENED.matcher(r.out());
            assertThat(m.find()).as(r.out()).isTrue();
            started.addAll(List.of(Long.parseLong(m.group(1)), Long.parseLong(m.group(3))));
            assertThat(Files.readString(Path.of("/proc/" + m.group(1) + "/environ"))).as("the viewer's environment")
                    .doesNotContain("VNC_IT_PASSWORD");
            Proc.ok("ip", "netns", "exec", b.ns(), "env", "DISPLAY=:77", Proc.require("xsetroot", "x11-xserver-utils"),
                    "-solid", "#40ff40");
            assertThat(awaitPixel("#40FF40")).isEqualTo("#40FF40");
            assertThat(Files.readString(bHome.resolve(".vnc/ctys-77.log"))).contains("Xvnc");
        } finally {
            // the server START left running (it outlives ctys by design), found by its own command line
            ProcessHandle.allProcesses().filter(h -> h.info().arguments().map(a -> a.length > 0 && a[0].equals(":77")).orElse(false)
                            && h.info().command().orElse("").endsWith("Xtigervnc"))
                    .forEach(h -> {
                        h.destroy();
                        h.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
                    });
        }
    }

    @Test
    void whenTheSshConnectionDropsTheViewerAndTheCtysHoldingTheForwardEnd() throws Exception {
        dropTheConnectionUnder(ctys(), 2222, true);
    }

    /** A viewer that does not notice the lost connection (it never reads it) is ended by ctys all the same. */
    @Test
    void aViewerThatKeepsRunningAfterTheDropIsEnded() throws Exception {
        Path stubborn = work.resolve("stubborn-viewer");
        Files.writeString(stubborn, "#!/bin/sh\nexec sleep 600\n");
        Files.setPosixFilePermissions(stubborn, PosixFilePermissions.fromString("rwx------"));
        dropTheConnectionUnder(ctys().env("CTYS_VNCVIEWER", stubborn.toString()), 2223, false);
    }

    private void dropTheConnectionUnder(CtysRunner ctys, int sshPort, boolean realViewer) throws Exception {
        VncServer server = server(null);
        server.paint("#c000c0");
        // a server of its own on b, killed below as a crash would
        OpenSshd doomed = OpenSshd.start(work.resolve("b-doomed-" + sshPort), b.ns(), b.address(), sshPort, key.publicKey());
        try {
            doomed.trustIn(home);
            Path inventory = work.resolve("inventory-doomed.yaml");
            Files.writeString(inventory, """
                    machines:
                      doomed:
                        host: %s
                        ssh: {user: root, port: %d, jump: [root@%s]}
                    """.formatted(b.address(), sshPort, a.address()));
            Proc.Outcome r = ctys.inventory(inventory).run("-t", "vnc", "-a", "create", "doomed");
            assertThat(r.exit()).as(r.toString()).isZero();
            Matcher m = OPENED.matcher(r.out());
            assertThat(m.find()).as(r.out()).isTrue();
            long viewer = Long.parseLong(m.group(1));
            int port = Integer.parseInt(m.group(2));
            long keeper = Long.parseLong(m.group(3));
            started.addAll(List.of(viewer, keeper));
            if (realViewer) assertThat(awaitPixel("#C000C0")).isEqualTo("#C000C0");
            else assertThat(listens(port)).isTrue();

            doomed.kill();
            assertThat(Proc.await(() -> ended(viewer), WAIT, Duration.ofMillis(100))).as("the viewer is ended").isTrue();
            assertThat(Proc.await(() -> ended(keeper), WAIT, Duration.ofMillis(100))).as("the keeper ends").isTrue();
            assertThat(listens(port)).isFalse();
            Matcher logName = Pattern.compile("; log (\\S+)").matcher(r.out());
            assertThat(logName.find()).as(r.out()).isTrue();
            Path log = Path.of(logName.group(1));
            assertThat(Files.readString(log)).contains("disconnected").contains("SSH connection to " + b.address() + " closed");
        } finally {
            doomed.kill();
        }
    }

    private VncServer server(Path passwd) throws IOException {
        VncServer s = VncServer.start(b.ns(), passwd, work.resolve("xvnc-" + servers.size() + ".log"));
        servers.add(s);
        return s;
    }

    private CtysRunner ctys() {
        return new CtysRunner(home).env("DISPLAY", ":" + xvfb.display());
    }

    /** The colour in the middle of the Xvfb screen, once it is {@code colour} or the wait is over. */
    private String awaitPixel(String colour) {
        String[] last = {""};
        Proc.await(() -> (last[0] = VncServer.pixel(xvfb.display(), 512, 384)).equals(colour), WAIT, Duration.ofMillis(300));
        return last[0];
    }

    private static boolean listens(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Gone, or a zombie that nothing here reaps (it was detached from the ctys that started it). */
    private static boolean ended(long pid) {
        return ProcessHandle.of(pid).map(Proc::ended).orElse(true);
    }

    private static boolean noSshProcess() {
        return ProcessHandle.allProcesses().noneMatch(h -> h.info().command().map(c -> c.endsWith("/ssh")).orElse(false)
                && h.info().commandLine().orElse("").contains(" -L "));
    }

    private static boolean noViewer() {
        return ProcessHandle.allProcesses().noneMatch(h -> h.info().command().map(c -> c.endsWith("xtigervncviewer")).orElse(false)
                && h.info().commandLine().orElse("").contains("127.0.0.1::"));
    }
}
