package org.ctys.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A libvirt LXC container that is a host of QEMU guests in turn: the middle level of a real
 * two-level stack. It runs in the {@link Libvirt} of the test ({@link Libvirt#startWithLxc()}),
 * with its own network, PID and UTS namespaces, and runs its own sshd (root logs in with the
 * test's key) and its own virtlogd and libvirtd, where TinyGuests are defined and started.
 *
 * <p>Network: the container's eth0 ({@value #ADDRESS}/30) is a veth whose other end libvirt puts
 * on the bridge {@value #BRIDGE} in the root namespace, which holds {@value #GATEWAY}/30 and
 * nothing else (the bridge outlives the container's restarts, so its address does). The root
 * namespace blackholes {@value #AROUND}, the container blackholes its default route and the
 * private ranges, and forwarding is off on both sides: nothing leaves the machine.
 *
 * <p>Storage: the container shares the machine's root file system (so it sees the kernel and
 * initramfs of the test's guests), with a fresh /run (in memory, as after a real boot) and, below
 * {@link #dir}, its own /etc/libvirt (the machine's config files, qemu.conf with
 * {@code namespaces = [ ]}, no domains), /var/lib/libvirt, /var/log/libvirt and
 * /var/cache/libvirt: a guest defined in it is still defined after the container restarts.
 *
 * <p>Its init (a perl program, {@link #INIT}) provides the sysvinit control FIFO /run/initctl:
 * {@code virsh -c lxc:///system shutdown} (libvirt 9.0) writes a runlevel request there; without
 * the FIFO the init received nothing here. On that request (or SIGTERM) it stops libvirtd,
 * virtlogd and sshd, kills what is left in the container and exits, which ends the container.
 * {@code virsh start} brings back sshd and libvirtd, not the guests. Its log, {@link #initLog()},
 * has a UTC time stamp per line.
 */
public final class LxcHost implements AutoCloseable {
    public static final String BRIDGE = "ctyslxbr0";
    public static final String ADDRESS = "10.219.0.2";
    public static final String GATEWAY = "10.219.0.1";
    public static final String AROUND = "10.219.0.0/16";
    private static final String VETH = "ctyslxc0";
    private static final Duration SSH_LIMIT = Duration.ofSeconds(30);

    /** PID 1 of the container; arguments: its directory and its address with prefix. */
    static final String INIT = """
            use strict; use warnings; use POSIX (); use Time::HiRes ();
            my ($dir, $addr) = @ARGV;
            open(my $log, '>>', "$dir/init.log") or die "init.log: $!"; $log->autoflush(1);
            sub note { my ($s, $us) = Time::HiRes::gettimeofday();
                printf $log "%s.%06dZ %s\\n", POSIX::strftime("%Y-%m-%dT%H:%M:%S", gmtime($s)), $us, "@_"; }
            sub sh { system(@_) == 0 or note("failed ($?): @_"); }
            sub pidfile { open(my $h, '<', $_[0]) or return (); my $p = <$h> // ''; chomp $p; $p =~ /^\\d+$/ ? ($p) : (); }
            our ($sshd, $ctl) = (0, 0);
            # reaps until none of @pids is alive, or none is left at all, for at most $limit seconds
            sub reap { my ($limit, @pids) = @_; my $until = Time::HiRes::time() + $limit;
                while (Time::HiRes::time() < $until) {
                    my $p = waitpid(-1, POSIX::WNOHANG());
                    last if $p == -1 || (@pids && !grep { kill 0, $_ } @pids);
                    Time::HiRes::sleep(0.02) if $p == 0;
                } }
            sub stop {
                note("stopping on $_[0]");
                # the daemons first, as a real shutdown does, then every process left (SSH sessions too)
                my @daemons = grep { $_ } pidfile("/run/libvirtd.pid"), pidfile("/run/virtlogd.pid"), $ctl;
                kill 'TERM', @daemons;
                reap(15, @daemons);
                kill 'TERM', -1;
                reap(5);
                kill 'KILL', -1;
                1 while waitpid(-1, 0) > 0;
                note("stopped");
                exit 0;
            }
            $SIG{TERM} = sub { stop('SIGTERM') };
            $SIG{PWR} = sub { stop('SIGPWR') };
            $SIG{INT} = sub { stop('SIGINT') };
            note("init started");
            sh("ip", "link", "set", "lo", "up");
            sh("ip", "addr", "add", $addr, "dev", "eth0");
            sh("ip", "link", "set", "eth0", "up");
            sh("ip", "route", "add", "blackhole", $_)
                for qw(default 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 100.64.0.0/10 169.254.0.0/16);
            sh("ip", "-6", "route", "add", "blackhole", "default");
            mkdir $_ for qw(/run/sshd /run/libvirt);
            POSIX::mkfifo("/run/initctl", 0600) or note("mkfifo /run/initctl: $!");
            $ctl = fork() // die "fork: $!";
            if ($ctl == 0) {
                $SIG{$_} = 'DEFAULT' for qw(TERM PWR INT);
                # sysvinit's request: int magic 0x03091969, int cmd (1 = runlevel), int runlevel, ... (384 bytes)
                open(my $f, '+<', "/run/initctl") or die "/run/initctl: $!";
                # read-write: a writer of its own, so reads never see end of file; a request is one
                # write of 384 bytes (below PIPE_BUF), read whole; EINTR is not the end
                while (1) {
                    my $n = sysread($f, my $req, 384);
                    if (!defined $n) { next if $!{EINTR}; note("initctl: read: $!"); last; }
                    if ($n != 384) { note("initctl: a request of $n bytes ignored"); next; }
                    my ($magic, $cmd, $level) = unpack("l l l", $req);
                    note(sprintf("initctl: runlevel %s", chr($level)));
                    kill 'TERM', 1 if $magic == 0x03091969 && $cmd == 1;
                }
                note("initctl: no longer read");
                exit 0;
            }
            sh("/usr/sbin/virtlogd", "-d");
            sh("/usr/sbin/libvirtd", "-d");
            for (1 .. 600) { last if -S "/run/libvirt/libvirt-sock"; Time::HiRes::sleep(0.05); }
            note(-S "/run/libvirt/libvirt-sock" ? "libvirtd answers" : "libvirtd did not come up");
            $sshd = fork() // die "fork: $!";
            if ($sshd == 0) {
                $SIG{$_} = 'DEFAULT' for qw(TERM PWR INT);
                open(STDOUT, '>>', "$dir/sshd.log"); open(STDERR, '>&', \\*STDOUT);
                exec "/usr/sbin/sshd", "-D", "-e", "-f", "$dir/sshd_config" or die "sshd: $!";
            }
            note("sshd started");
            while (1) {
                my $p = waitpid(-1, 0);
                last if $p == -1 && $!{ECHILD};
                note("sshd ended ($?)") if $p == $sshd;
            }
            """;

    public final String name;
    public final Path dir;
    private final Libvirt lv;
    private final SshKey key;
    private final Path knownHosts;
    /** PID namespaces the container's inits had: nothing may be left in them after close. */
    private final Set<String> pidNamespaces = new LinkedHashSet<>();

    private LxcHost(String name, Path dir, Libvirt lv, SshKey key, Path knownHosts) {
        this.name = name;
        this.dir = dir;
        this.lv = lv;
        this.key = key;
        this.knownHosts = knownHosts;
    }

    /**
     * Defines the container {@code name} (persistent, shut off) in {@code lv}, which must have been
     * started with {@link Libvirt#startWithLxc()}; root logs in to its sshd with {@code key}, and
     * {@code home}'s ~/.ssh/known_hosts is made to trust it (as {@value #ADDRESS}, port 22).
     */
    public static LxcHost define(Libvirt lv, String name, SshKey key, Path home) throws IOException {
        if (!name.startsWith(Libvirt.PREFIX)) throw new IllegalArgumentException("container name must start with " + Libvirt.PREFIX);
        Proc.require("/usr/sbin/sshd", "openssh-server");
        Proc.require("/usr/lib/libvirt/libvirt_lxc", "libvirt-daemon-driver-lxc");
        removeNetwork();
        Path dir = Files.createTempDirectory("ctys-lxc-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        LxcHost c = new LxcHost(name, dir, lv, key, home.resolve(".ssh/known_hosts"));
        try {
            c.prepare();
            c.trustIn(home);
            Proc.ok("ip", "link", "add", BRIDGE, "type", "bridge", "forward_delay", "0", "stp_state", "0");
            Proc.ok("ip", "addr", "add", GATEWAY + "/30", "dev", BRIDGE);
            Proc.ok("ip", "link", "set", BRIDGE, "up");
            // replace, not add: a crashed run may have left the same route
            Proc.ok("ip", "route", "replace", "blackhole", AROUND);
            c.outerOk("define", dir.resolve(name + ".xml").toString());
        } catch (IOException | RuntimeException | Error e) {
            try {
                c.close();
            } catch (RuntimeException | Error suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return c;
    }

    private void prepare() throws IOException {
        for (String d : List.of("etc-libvirt", "var-lib-libvirt", "var-log-libvirt", "var-cache-libvirt")) {
            Files.createDirectories(dir.resolve(d));
        }
        // the machine's config files only: none of its domains or networks
        try (Stream<Path> s = Files.list(Path.of("/etc/libvirt"))) {
            for (Path f : s.filter(Files::isRegularFile).toList()) Files.copy(f, dir.resolve("etc-libvirt").resolve(f.getFileName()));
        }
        // QEMU's private /dev (mount namespace) cannot be made inside the container
        Files.writeString(dir.resolve("etc-libvirt/qemu.conf"), "\nnamespaces = [ ]\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        SshKey hostKey = SshKey.generate(dir.resolve("host_ed25519"), "ed25519", "ctys-test-lxc");
        Files.copy(key.publicKey(), dir.resolve("authorized_keys"));
        Files.writeString(dir.resolve("sshd_config"), OpenSshd.config(22, ADDRESS, hostKey.privateKey(), dir.resolve("authorized_keys"),
                List.of()));
        Files.writeString(dir.resolve("init.pl"), INIT);
        Files.writeString(dir.resolve(name + ".xml"), """
                <domain type='lxc'>
                  <name>%1$s</name>
                  <memory unit='MiB'>512</memory>
                  <os>
                    <type>exe</type>
                    <init>/usr/bin/perl</init>
                    <initarg>%2$s/init.pl</initarg>
                    <initarg>%2$s</initarg>
                    <initarg>%3$s/30</initarg>
                  </os>
                  <features><privnet/></features>
                  <on_poweroff>destroy</on_poweroff>
                  <on_reboot>restart</on_reboot>
                  <on_crash>destroy</on_crash>
                  <devices>
                    <emulator>/usr/lib/libvirt/libvirt_lxc</emulator>
                    <filesystem type='ram'><source usage='65536' units='KiB'/><target dir='/run'/></filesystem>
                    <filesystem type='mount'><source dir='%2$s/etc-libvirt'/><target dir='/etc/libvirt'/></filesystem>
                    <filesystem type='mount'><source dir='%2$s/var-lib-libvirt'/><target dir='/var/lib/libvirt'/></filesystem>
                    <filesystem type='mount'><source dir='%2$s/var-log-libvirt'/><target dir='/var/log/libvirt'/></filesystem>
                    <filesystem type='mount'><source dir='%2$s/var-cache-libvirt'/><target dir='/var/cache/libvirt'/></filesystem>
                    <interface type='bridge'>
                      <mac address='52:54:00:c7:0c:01'/>
                      <source bridge='%4$s'/>
                      <target dev='%5$s'/>
                      <guest dev='eth0'/>
                    </interface>
                    <hostdev mode='capabilities' type='misc'><source><char>/dev/net/tun</char></source></hostdev>
                    <console type='pty'/>
                  </devices>
                </domain>
                """.formatted(name, dir, ADDRESS, BRIDGE, VETH));
    }

    /** Appends the container's host key to {@code home}'s known_hosts (port 22: the bare address). */
    public void trustIn(Path home) throws IOException {
        String pub = Files.readString(dir.resolve("host_ed25519.pub")).strip();
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(ssh.resolve("known_hosts"), ADDRESS + " " + pub.substring(0, pub.lastIndexOf(' ')) + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    // ---- the container, seen from the machine -------------------------------------------------

    /**
     * {@code virsh -c lxc:///system start}, then waits until libvirt knows the container's init
     * ({@link #initKnown}; started again when it lost it) and until root logs in over SSH.
     */
    public void start(Duration limit) {
        outerOk("start", name);
        initKnown();
        awaitLogin(limit);
    }

    /**
     * Makes sure libvirt knows the PID of the running container's init, without which every
     * {@code virsh shutdown} of it fails ("Init process ID is not yet known"). libvirt 9.0 learns
     * it from one event the container's controller sends when libvirtd connects, and can drop that
     * event: its monitor client starts reading before it registers the event's handler. The
     * container then cannot be shut down by anyone until it is started again, which is what this
     * does (destroy, start; three times at most), saying so on standard output. Known is when the
     * container's status file holds it ({@code <init pid='N'/>}, N not 0); the event comes within milliseconds
     * of the start, so 5 s without it is a lost event.
     */
    public void initKnown() {
        Path status = Path.of("/run/libvirt/lxc", name + ".xml");
        for (int start = 1; ; start++) {
            if (Proc.await(() -> INIT_KNOWN.matcher(readOrEmpty(status)).find(), Duration.ofSeconds(5), Duration.ofMillis(50))) return;
            if (start == 3) throw new AssertionError("libvirt lost the init PID of " + name + " at three starts in a row:\n" + readOrEmpty(status));
            System.out.println(name + ": libvirt did not learn its init's PID (a race in libvirt's LXC monitor); starting it again");
            outerOk("destroy", name);
            outerOk("start", name);
        }
    }

    /** libvirt writes {@code <init pid='0'/>} while it does not know the PID. */
    private static final java.util.regex.Pattern INIT_KNOWN = java.util.regex.Pattern.compile("<init pid='[1-9]");

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code virsh -c lxc:///system domstate} ("running", "shut off"). */
    public String state() {
        Proc.Outcome o = lv.virshAt(Libvirt.LXC_URI, "domstate", name);
        if (o.exit() != 0) throw new AssertionError("virsh domstate failed: " + o);
        return o.out().strip();
    }

    /** Waits until an SSH login into the container runs a command; fails past {@code limit}. */
    public void awaitLogin(Duration limit) {
        Proc.Outcome[] last = {null};
        boolean in = Proc.await(() -> (last[0] = ssh(SSH_LIMIT, "true")).exit() == 0, limit, Duration.ofMillis(200));
        if (!in) throw new AssertionError("no SSH login into " + name + " within " + limit.toSeconds() + " s: " + last[0]
                + "\ninit log:\n" + String.join("\n", initLog()));
        notePidNamespace();
    }

    /** Runs {@code command} as root in the container over OpenSSH's ssh (batch mode, the test key). */
    public Proc.Outcome ssh(Duration limit, String command) {
        String ssh = Proc.require("ssh", "openssh-client");
        return Proc.run(limit, List.of(ssh, "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                "-o", "ConnectTimeout=5", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                "-i", key.privateKey().toString(), "root@" + ADDRESS, command));
    }

    /** The init's log lines, "2026-01-02T03:04:05.123456Z what". */
    public List<String> initLog() {
        try {
            Path log = dir.resolve("init.log");
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new AssertionError("cannot read the init log: " + e.getMessage(), e);
        }
    }

    /** When the init logged lines containing {@code text}, in order. */
    public List<Instant> initLogged(String text) {
        return initLog().stream().filter(l -> l.contains(text)).map(l -> Instant.parse(l.substring(0, l.indexOf(' ')))).toList();
    }

    // ---- the container's own libvirt ------------------------------------------------------------

    /** {@code virsh -c qemu:///system ARGS} in the container, over SSH. */
    public Proc.Outcome virsh(String... args) {
        StringBuilder cmd = new StringBuilder("LC_ALL=C virsh -c " + Libvirt.URI);
        for (String a : args) cmd.append(' ').append(Proc.shellQuote(a));
        return ssh(SSH_LIMIT, cmd.toString());
    }

    public Proc.Outcome virshOk(String... args) {
        Proc.Outcome o = virsh(args);
        if (o.exit() != 0) throw new AssertionError("virsh in " + name + " failed: " + o);
        return o;
    }

    /** Defines {@code g} in the container's libvirt (persistent); its files are on the shared file system. */
    public void defineGuest(TinyGuest g) {
        virshOk("define", g.xml().toString());
    }

    /** Starts a guest defined in the container; its serial file is emptied first. */
    public void startGuest(TinyGuest g) throws IOException {
        Files.deleteIfExists(g.serial());
        virshOk("start", g.name());
    }

    /** The guest's state in the container ("running", "shut off"), empty if it has no such domain. */
    public Optional<String> guestState(String guest) {
        Proc.Outcome o = virsh("domstate", guest);
        if (o.exit() != 0) {
            if (o.err().contains("failed to get domain")) return Optional.empty();
            throw new AssertionError("virsh domstate in " + name + " failed: " + o);
        }
        return Optional.of(o.out().strip());
    }

    /** Waits until the running guest printed its ready line on its serial console; fails past {@code limit}. */
    public void awaitGuestReady(TinyGuest g, Duration limit) {
        String line = GuestImage.READY + g.name();
        boolean ready = Proc.await(() -> serial(g).contains(line), limit, Duration.ofMillis(200));
        if (!ready) {
            throw new AssertionError(g.name() + " in " + name + " not ready within " + limit.toSeconds() + " s ("
                    + guestState(g.name()).orElse("undefined") + "); its console:\n" + serial(g) + "\nits log:\n" + String.join("\n", qemuLog(g.name())));
        }
    }

    /** The container libvirt's log of a guest (/var/log/libvirt/qemu/NAME.log in it: "starting up", "shutting down"). */
    public List<String> qemuLog(String guest) {
        Path log = dir.resolve("var-log-libvirt/qemu/" + guest + ".log");
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + log + ": " + e.getMessage(), e);
        }
    }

    /** When the container's libvirt logged lines of {@code guest} containing {@code text} ("2026-01-02 03:04:05.678+0000: text"). */
    public List<Instant> qemuLogged(String guest, String text) {
        return qemuLog(guest).stream().filter(l -> l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000: .*") && l.contains(text))
                .map(l -> Instant.parse(l.substring(0, 10) + "T" + l.substring(11, 23) + "Z")).toList();
    }

    private static String serial(TinyGuest g) {
        try {
            return Files.exists(g.serial()) ? Files.readString(g.serial(), StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    // ---- cleaning up ----------------------------------------------------------------------------

    /**
     * Destroys and undefines the container (what runs in it ends with it), removes the bridge and
     * the blackhole route, and fails if a process is left in a PID namespace the container had.
     */
    @Override
    public void close() {
        List<Throwable> problems = new ArrayList<>();
        try {
            notePidNamespace();
            Proc.Outcome s = lv.virshAt(Libvirt.LXC_URI, "domstate", name);
            if (s.exit() == 0 && !s.out().strip().equals("shut off")) outerOk("destroy", name);
            if (lv.virshAt(Libvirt.LXC_URI, "domstate", name).exit() == 0) outerOk("undefine", name);
        } catch (RuntimeException | Error e) {
            problems.add(e);
        }
        removeNetwork();
        if (!pidNamespaces.isEmpty() && !Proc.await(() -> inNamespaces().isEmpty(), Duration.ofSeconds(10))) {
            List<ProcessHandle> left = inNamespaces();
            left.forEach(ProcessHandle::destroyForcibly);
            problems.add(new AssertionError("processes left in " + name + " after it was destroyed (killed now): "
                    + left.stream().map(h -> h.pid() + " " + h.info().commandLine().orElse("")).toList()));
        }
        Proc.deleteTree(dir);
        if (!problems.isEmpty()) {
            AssertionError e = new AssertionError("removing " + name + ": " + problems.get(0).getMessage(), problems.get(0));
            problems.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }

    /** Remembers the PID namespace of the container's init, if it runs now. */
    private void notePidNamespace() {
        String script = dir.resolve("init.pl").toString();
        ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").contains(script))
                .map(h -> pidNamespace(h.pid()))
                .flatMap(Optional::stream)
                .forEach(pidNamespaces::add);
    }

    /** Live processes (zombies not counted) in the PID namespaces the container had. */
    private List<ProcessHandle> inNamespaces() {
        return ProcessHandle.allProcesses()
                .filter(h -> pidNamespace(h.pid()).map(pidNamespaces::contains).orElse(false))
                .filter(h -> !Proc.isZombie(h.pid()))
                .toList();
    }

    private static Optional<String> pidNamespace(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/pid")).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static void removeNetwork() {
        if (Proc.quietly("ip", "link", "show", BRIDGE).exit() == 0) Proc.quietly("ip", "link", "del", BRIDGE);
        if (Proc.quietly("ip", "link", "show", VETH).exit() == 0) Proc.quietly("ip", "link", "del", VETH);
        Proc.quietly("ip", "route", "del", "blackhole", AROUND);
    }

    private void outerOk(String... args) {
        Proc.Outcome o = lv.virshAt(Libvirt.LXC_URI, args);
        if (o.exit() != 0) throw new AssertionError("virsh -c " + Libvirt.LXC_URI + " failed: " + o);
    }
}
