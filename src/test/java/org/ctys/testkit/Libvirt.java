package org.ctys.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A real libvirt (system mode, {@value #URI}) run by the test itself: virtlogd and libvirtd as
 * its children (there is no systemd here), and tiny QEMU guests ({@link TinyGuest}) that answer
 * {@code virsh shutdown} as the test chose. Needs root.
 *
 * <p>libvirt starts every QEMU daemonized, so QEMU's parent is whoever reaps orphans, and PID 1
 * here reaps nothing: a QEMU that ended would stay a zombie, which libvirt takes for a process
 * that will not die ({@code virsh destroy} then fails). libvirtd therefore runs below a small
 * perl program that makes itself the child subreaper (prctl PR_SET_CHILD_SUBREAPER) and reaps
 * every process orphaned below it, QEMU included.
 *
 * <p>Every guest's name starts with {@value #PREFIX}; starting a fixture first removes what a
 * crashed run left: the daemons named by /run/libvirtd.pid and /run/virtlogd.pid, and every
 * domain (and QEMU process) whose name starts with the prefix. {@link #close()} destroys and
 * undefines those domains, stops the daemons by PID and waits for them; it fails if a QEMU
 * process of the prefix is left.
 */
public final class Libvirt implements AutoCloseable {
    public static final String URI = "qemu:///system";
    /** libvirt's container driver, only with {@link #startWithLxc()}. */
    public static final String LXC_URI = "lxc:///system";
    /** Every domain the fixture makes has a name starting with this; a crashed run's are removed by it. */
    public static final String PREFIX = "ctys-";
    /** How long libvirtd may take to answer after it starts (it probes QEMU's capabilities the first time). */
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    /** How long one virsh command may take. */
    private static final Duration VIRSH_LIMIT = Duration.ofSeconds(30);
    /** How long libvirtd gets to end after SIGTERM before it and what it started are killed. */
    private static final Duration STOP_LIMIT = Duration.ofSeconds(15);
    /** How often {@link #awaitOff} asks virsh: each ask is a process on a 2-core machine. */
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Path LIBVIRTD_PID = Path.of("/run/libvirtd.pid");
    private static final Path VIRTLOGD_PID = Path.of("/run/virtlogd.pid");
    private static final Path VIRTLOGD_SOCKET = Path.of("/run/libvirt/virtlogd-sock");
    private static final Path AUTOSTART_NETWORKS = Path.of("/etc/libvirt/qemu/networks/autostart");
    /**
     * This machine mounts cgroup v1 plus a v2 hierarchy at this place (a "hybrid" layout), which
     * libvirt 9.0's LXC driver cannot mirror into a container ("virCgroupV2BindMount: Unable to
     * create directory /sys/fs/cgroup/unified"); libvirtd for containers runs in its own mount
     * namespace without it.
     */
    private static final String CGROUP_UNIFIED = "/sys/fs/cgroup/unified";

    /**
     * Runs its arguments as a child, forwards SIGTERM to it and reaps every process orphaned below
     * itself until none is left; exits as the child did. prctl is syscall 157 on x86_64, option 36
     * PR_SET_CHILD_SUBREAPER.
     */
    private static final String REAPER = """
            $SIG{TERM} = sub { kill 'TERM', $child if $child };
            syscall(157, 36, 1, 0, 0, 0) == 0 or die "prctl(PR_SET_CHILD_SUBREAPER): $!\\n";
            $child = fork() // die "fork: $!\\n";
            if ($child == 0) { exec { $ARGV[0] } @ARGV or die "exec $ARGV[0]: $!\\n"; }
            my $status = 0;
            while (1) {
                my $pid = waitpid(-1, 0);
                if ($pid == -1) { last if $!{ECHILD}; next; }
                $status = $? if $pid == $child;
            }
            exit(($status & 127) ? 128 + ($status & 127) : $status >> 8);
            """;

    /** Its own directory, world-traversable (QEMU runs as libvirt-qemu): kernel, initramfs, XML, serial logs, daemon logs. */
    public final Path dir;
    private final String virsh;
    /** Whether libvirtd was started so that containers ({@value #LXC_URI}) work too. */
    private final boolean lxc;
    private final Map<String, TinyGuest> guests = new LinkedHashMap<>();
    private final Map<String, Long> startedAt = new LinkedHashMap<>();
    private final Set<String> made = new LinkedHashSet<>();
    private Process virtlogd;
    private Process reaper;
    private GuestImage image;

    private Libvirt(Path dir, String virsh, boolean lxc) {
        this.dir = dir;
        this.virsh = virsh;
        this.lxc = lxc;
    }

    /**
     * Removes what a crashed run left, starts virtlogd and libvirtd, and returns once
     * {@code virsh -c qemu:///system version} answers (within 60 s); fails naming
     * the Debian package of anything missing.
     */
    public static Libvirt start() throws IOException {
        return start(false);
    }

    /**
     * Like {@link #start()}, and containers work too ({@value #LXC_URI}, libvirt-daemon-driver-lxc):
     * libvirtd runs in a mount namespace of its own (private propagation) where the cgroup v2
     * hierarchy at /sys/fs/cgroup/unified is unmounted; the machine's own mounts are untouched,
     * and its socket and pid file are on the shared /run as before. QEMU guests work the same.
     * {@link #close()} also destroys and undefines the containers named {@value #PREFIX}*.
     */
    public static Libvirt startWithLxc() throws IOException {
        return start(true);
    }

    private static Libvirt start(boolean lxc) throws IOException {
        Proc.requireRoot();
        String libvirtd = Proc.require("/usr/sbin/libvirtd", "libvirt-daemon-system");
        String virtlogdBin = Proc.require("/usr/sbin/virtlogd", "libvirt-daemon-system");
        String virsh = Proc.require("virsh", "libvirt-clients");
        Proc.require("/usr/bin/qemu-system-x86_64", "qemu-system-x86");
        String perl = Proc.require("perl", "perl-base");
        requireFile("/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so", "libvirt-daemon-driver-qemu");
        if (lxc) {
            requireFile("/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_lxc.so", "libvirt-daemon-driver-lxc");
            Proc.require("unshare", "util-linux");
        }
        refuseAutostartNetworks();

        stopStale(LIBVIRTD_PID, "libvirtd");
        stopStale(VIRTLOGD_PID, "virtlogd");
        Path dir = Files.createTempDirectory("ctys-libvirt-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Libvirt lv = new Libvirt(dir, virsh, lxc);
        try {
            for (String d : List.of("/run/libvirt", "/var/lib/libvirt", "/var/log/libvirt/qemu", "/var/cache/libvirt")) {
                Files.createDirectories(Path.of(d));
            }
            Files.deleteIfExists(VIRTLOGD_SOCKET);
            lv.virtlogd = daemon(List.of(virtlogdBin), dir.resolve("virtlogd.log"));
            lv.awaitUp("virtlogd", lv.virtlogd, () -> Files.exists(VIRTLOGD_SOCKET), dir.resolve("virtlogd.log"));
            Path script = Files.writeString(dir.resolve("reaper.pl"), REAPER);
            List<String> command = new ArrayList<>(List.of(perl, script.toString()));
            if (lxc) {
                // unshare execs the shell, which execs libvirtd: libvirtd is still the reaper's child
                command.addAll(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                        "if mountpoint -q " + CGROUP_UNIFIED + "; then umount " + CGROUP_UNIFIED + " || exit 1; fi; exec " + libvirtd));
            } else {
                command.add(libvirtd);
            }
            lv.reaper = daemon(command, dir.resolve("libvirtd.log"));
            lv.awaitUp("libvirtd", lv.reaper, () -> lv.virsh("version").exit() == 0, dir.resolve("libvirtd.log"));
            lv.removeLeftoverDomains();
        } catch (RuntimeException | Error | IOException e) {
            try {
                lv.close();
            } catch (RuntimeException | Error suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return lv;
    }

    // ---- guests -------------------------------------------------------------------------------

    /** An ACPI guest: {@code virsh shutdown} powers it off at once. Writes its XML; nothing runs yet. */
    public TinyGuest acpiGuest(String name, String mac) throws IOException {
        return guest(name, TinyGuest.Kind.ACPI, mac, 128, Duration.ZERO);
    }

    /** A guest that ignores ACPI: {@code virsh shutdown} does nothing, only {@code virsh destroy} stops it. */
    public TinyGuest deafGuest(String name, String mac) throws IOException {
        return guest(name, TinyGuest.Kind.DEAF, mac, 128, Duration.ZERO);
    }

    /** A guest that powers off {@code delay} (millisecond steps) after {@code virsh shutdown}. */
    public TinyGuest slowGuest(String name, String mac, Duration delay) throws IOException {
        return guest(name, TinyGuest.Kind.SLOW, mac, 128, delay);
    }

    /** An ACPI guest with a shell on its serial line, a pseudo terminal that {@code virsh console} reaches. */
    public TinyGuest consoleGuest(String name, String mac) throws IOException {
        return guest(name, TinyGuest.Kind.CONSOLE, mac, 128, Duration.ZERO);
    }

    /**
     * Any guest; {@code name} must start with {@value #PREFIX}, or be digits only (a test of names
     * virsh reads as a domain id first: such a domain is removed by name at the end, as every guest
     * this fixture defined, but a crashed run's is not found by its prefix). Writes its XML
     * ({@link TinyGuest#xml()}); nothing runs yet.
     */
    public TinyGuest guest(String name, TinyGuest.Kind kind, String mac, int memoryMiB, Duration delay) throws IOException {
        if (!name.startsWith(PREFIX) && !name.matches("\\d{1,9}")) {
            throw new IllegalArgumentException("guest name must start with " + PREFIX + " or be digits only: " + name);
        }
        if (image == null) image = GuestImage.build(dir);
        TinyGuest g = TinyGuest.write(dir, image, name, kind, mac, memoryMiB, delay);
        guests.put(name, g);
        return g;
    }

    /** {@code virsh define}: a persistent domain, shut off until {@link #start}. */
    public void define(TinyGuest g) {
        made.add(g.name());
        virshOk("define", g.xml().toString());
    }

    /** {@code virsh start} of a defined guest; {@link #awaitReady} measures from here. */
    public void start(String name) throws IOException {
        Files.deleteIfExists(guest(name).serial());
        startedAt.put(name, System.nanoTime());
        virshOk("start", name);
    }

    /** {@code virsh create} of the guest's XML: a transient domain, running at once, gone once it is off. */
    public void create(TinyGuest g) throws IOException {
        made.add(g.name());
        Files.deleteIfExists(g.serial());
        startedAt.put(g.name(), System.nanoTime());
        virshOk("create", g.xml().toString());
    }

    /**
     * Waits until the running guest's serial console shows its ready line (acpid listening, or
     * knowingly not started) and returns the time since its {@link #start} or {@link #create} (since
     * this call for a guest started otherwise; QEMU empties the file when it starts). Fails with the
     * console's text past {@code limit} or once the guest is no longer running.
     */
    public Duration awaitReady(String name, Duration limit) {
        TinyGuest g = guest(name);
        // a guest started by someone else (ctys, virsh over SSH): measured from here
        long t0 = startedAt.getOrDefault(name, System.nanoTime());
        Optional<String> now = state(name);
        if (now.isEmpty() || !now.get().equals("running")) {
            throw new AssertionError(name + " is " + now.orElse("not defined") + ", not running: nothing to wait for");
        }
        String line = GuestImage.READY + name;
        String[] why = {null};
        long[] nextStateCheck = {System.nanoTime()};
        boolean ready = Proc.await(() -> {
            if (serial(name).contains(line)) return true;
            // virsh costs a process: once a second is enough to notice a guest that died
            if (System.nanoTime() - nextStateCheck[0] < 0) return false;
            nextStateCheck[0] = System.nanoTime() + 1_000_000_000L;
            Optional<String> s = state(name);
            // read again: a guest may have become ready and gone off in between
            if ((s.isEmpty() || !s.get().equals("running")) && !serial(name).contains(line)) {
                why[0] = "it is " + s.orElse("gone");
            }
            return why[0] != null || serial(name).contains(line);
        }, limit);
        if (!ready || why[0] != null) {
            throw new AssertionError(name + " did not print \"" + line + "\" within " + limit.toMillis() + " ms"
                    + (why[0] == null ? "" : " (" + why[0] + ")") + "; its serial console:\n" + serial(name)
                    + "\nlibvirt's log of it:\n" + qemuLog(g));
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** What the guest wrote to its serial console so far ("" before it wrote anything). */
    public String serial(String name) {
        Path file = guest(name).serial();
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : ""; // a name in UTF-8; a stray byte is replaced
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code virsh domstate NAME} ("running", "shut off", ...), or empty when there is no such domain (a transient one that ended). */
    public Optional<String> state(String name) {
        Proc.Outcome o = virsh("domstate", name);
        if (o.exit() != 0) {
            if (o.err().contains("failed to get domain")) return Optional.empty();
            throw new AssertionError("virsh domstate failed: " + o);
        }
        return Optional.of(o.out().strip());
    }

    /** Whether the guest is off ("shut off", or gone if transient) within {@code limit}, polling {@code virsh domstate}. */
    public boolean awaitOff(String name, Duration limit) {
        return Proc.await(() -> state(name).map("shut off"::equals).orElse(true), limit, POLL);
    }

    /** {@code virsh destroy}: pulls the plug. */
    public void destroy(String name) {
        virshOk("destroy", name);
    }

    /** Runs {@code virsh -c qemu:///system ARGS} (bounded, LC_ALL=C); the outcome, whatever it is. */
    public Proc.Outcome virsh(String... args) {
        return virshAt(URI, args);
    }

    /** Runs {@code virsh -c CONNECTION ARGS} (bounded, LC_ALL=C), e.g. with {@link #LXC_URI}; the outcome, whatever it is. */
    public Proc.Outcome virshAt(String connection, String... args) {
        List<String> cmd = new ArrayList<>(List.of(virsh, "-c", connection));
        cmd.addAll(List.of(args));
        return Proc.run(VIRSH_LIMIT, Map.of("LC_ALL", "C"), cmd);
    }

    /** Like {@link #virsh} but the test fails unless it exits 0. */
    public Proc.Outcome virshOk(String... args) {
        Proc.Outcome o = virsh(args);
        if (o.exit() != 0) throw new AssertionError("virsh failed: " + o);
        return o;
    }

    private TinyGuest guest(String name) {
        TinyGuest g = guests.get(name);
        if (g == null) throw new IllegalArgumentException("no guest " + name + " made by this fixture");
        return g;
    }

    private String qemuLog(TinyGuest g) {
        Path log = Path.of("/var/log/libvirt/qemu", g.name() + ".log");
        try {
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "(none)";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    // ---- daemons ------------------------------------------------------------------------------

    /**
     * Destroys and undefines every domain of the prefix, stops libvirtd (SIGTERM, SIGKILL to it and
     * all below it after 15 s) and virtlogd, waits for them, and fails if a QEMU
     * process of the prefix is left.
     */
    @Override
    public void close() {
        List<Throwable> problems = new ArrayList<>();
        if (reaper != null && reaper.isAlive()) {
            attempt(problems, this::removeLeftoverDomains);
        }
        attempt(problems, this::stopLibvirtd);
        attempt(problems, () -> Proc.stop(virtlogd));
        attempt(problems, () -> {
            List<ProcessHandle> left = qemuProcesses().toList();
            if (!left.isEmpty()) {
                left.forEach(ProcessHandle::destroyForcibly);
                throw new AssertionError("QEMU processes left after libvirtd stopped (killed now): "
                        + left.stream().map(h -> h.pid() + " " + h.info().commandLine().orElse("")).toList());
            }
        });
        Proc.deleteTree(dir);
        if (!problems.isEmpty()) {
            AssertionError e = new AssertionError("stopping libvirt: " + problems.get(0).getMessage(), problems.get(0));
            problems.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }

    private static void attempt(List<Throwable> problems, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            problems.add(e);
        }
    }

    /**
     * Domains whose names start with the prefix (this run's, or a crashed run's): destroyed if
     * running, then undefined; containers first (what runs in them ends with them).
     */
    private void removeLeftoverDomains() {
        if (lxc) removeLeftoverContainers();
        Set<String> names = new LinkedHashSet<>(made);
        Proc.Outcome list = virshOk("list", "--all", "--name");
        list.out().lines().map(String::strip).filter(n -> n.startsWith(PREFIX)).forEach(names::add);
        for (String name : names) {
            Optional<String> s = state(name);
            if (s.isEmpty()) continue;
            if (!s.get().equals("shut off")) virshOk("destroy", name);
            // a transient domain is gone once destroyed; a persistent one stays defined until undefined
            if (state(name).isPresent()) virshOk("undefine", name);
        }
        // a QEMU a crashed libvirtd did not take back
        List<ProcessHandle> strays = qemuProcesses().toList();
        strays.forEach(ProcessHandle::destroyForcibly);
        strays.forEach(h -> awaitExited(h, Proc.STOP_LIMIT));
    }

    private void removeLeftoverContainers() {
        Proc.Outcome list = virshAt(LXC_URI, "list", "--all", "--name");
        if (list.exit() != 0) throw new AssertionError("virsh failed: " + list);
        for (String name : list.out().lines().map(String::strip).filter(n -> n.startsWith(PREFIX)).toList()) {
            Proc.Outcome state = virshAt(LXC_URI, "domstate", name);
            if (state.exit() == 0 && !state.out().strip().equals("shut off")) okAt(LXC_URI, "destroy", name);
            if (virshAt(LXC_URI, "domstate", name).exit() == 0) okAt(LXC_URI, "undefine", name);
        }
    }

    private void okAt(String connection, String... args) {
        Proc.Outcome o = virshAt(connection, args);
        if (o.exit() != 0) throw new AssertionError("virsh failed: " + o);
    }

    /** SIGTERM to libvirtd itself; past the bound SIGKILL to everything below the reaper, which reaps them; then the reaper. */
    private void stopLibvirtd() {
        if (reaper == null) return;
        ProcessHandle r = reaper.toHandle();
        r.children().forEach(ProcessHandle::destroy);
        if (awaitExited(r, STOP_LIMIT)) return;
        r.descendants().forEach(ProcessHandle::destroyForcibly);
        if (!awaitExited(r, Proc.STOP_LIMIT)) Proc.kill(reaper);
        throw new AssertionError("libvirtd did not end within " + STOP_LIMIT.toSeconds() + " s of SIGTERM and was killed: "
                + tail(dir.resolve("libvirtd.log")));
    }

    /** QEMU processes of this fixture's guests (QEMU is run as "-name guest=NAME,..."), zombies not counted. */
    static Stream<ProcessHandle> qemuProcesses() {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").contains("guest=" + PREFIX))
                .filter(h -> h.info().command().orElse("").contains("qemu-system"))
                .filter(h -> !Proc.isZombie(h.pid()));
    }

    private static Process daemon(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    private interface Check {
        boolean holds() throws IOException;
    }

    private void awaitUp(String what, Process p, Check up, Path log) {
        String[] failed = {null};
        boolean ok = Proc.await(() -> {
            try {
                if (up.holds()) return true;
            } catch (IOException e) {
                failed[0] = e.getMessage();
                return true;
            }
            if (!p.isAlive()) failed[0] = "it exited " + p.exitValue();
            return failed[0] != null;
        }, START_LIMIT);
        if (!ok || failed[0] != null) {
            throw new AssertionError(what + " did not come up within " + START_LIMIT.toSeconds() + " s"
                    + (failed[0] == null ? "" : " (" + failed[0] + ")") + ": " + tail(log));
        }
    }

    /**
     * A daemon a crashed run left (its pid file names a live process of that program): SIGTERM,
     * SIGKILL after a bound. It is no child of this JVM, so "ended" includes a zombie nobody reaps.
     */
    private static void stopStale(Path pidFile, String program) throws IOException {
        if (!Files.exists(pidFile)) return;
        String text = Files.readString(pidFile).strip();
        if (!text.matches("\\d+")) return;
        Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(text));
        if (h.isEmpty() || Proc.isZombie(h.get().pid())) return;
        if (!h.get().info().command().orElse("").endsWith("/" + program)) return;
        h.get().destroy();
        if (!awaitExited(h.get(), STOP_LIMIT)) {
            h.get().destroyForcibly();
            if (!awaitExited(h.get(), Proc.STOP_LIMIT)) {
                throw new AssertionError("a " + program + " left by an earlier run (pid " + text + ") does not end");
            }
        }
    }

    private static boolean awaitExited(ProcessHandle h, Duration limit) {
        return Proc.await(() -> Proc.ended(h), limit);
    }

    /** libvirtd would start an autostart network (Debian's "default" NATs to the outside): tests must never send off the machine. */
    private static void refuseAutostartNetworks() throws IOException {
        if (!Files.isDirectory(AUTOSTART_NETWORKS)) return;
        try (Stream<Path> s = Files.list(AUTOSTART_NETWORKS)) {
            List<Path> auto = s.toList();
            if (!auto.isEmpty()) {
                throw new AssertionError("libvirtd would start these networks, which may route off this machine: " + auto
                        + "; remove them (rm " + AUTOSTART_NETWORKS + "/*) before the libvirt tests");
            }
        }
    }

    private static void requireFile(String file, String debianPackage) {
        if (!Files.exists(Path.of(file))) {
            throw new AssertionError(file + " is missing; these integration tests need it: apt-get install " + debianPackage);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(" + log + " unreadable: " + e.getMessage() + ")";
        }
    }
}
