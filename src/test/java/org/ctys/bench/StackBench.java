package org.ctys.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.Libvirt;
import org.ctys.testkit.Proc;
import org.ctys.testkit.TinyGuest;
import org.ctys.testkit.VirshHost;

/**
 * Taking down a KVM host's guests: ctys against the slowest guest's own stop time and against a
 * shell loop, for 1, 4 and 8 guests on one host. Real libvirt (the test kit's {@link Libvirt},
 * QEMU under TCG) and a real OpenSSH host ({@link VirshHost}); every guest powers off a known
 * time after the ACPI button (3 s to 5 s, the slowest 5 s, and in pass p of P each guest (p-1)/P s
 * later still, so that the loops' polls meet the guests' stop at a different point of their period
 * in each pass instead of at the same one).
 * <ul>
 * <li>slowest alone: {@code virsh shutdown} of the slowest guest only, here (no SSH), to libvirt's
 *     "Stopped" event for it ({@link #stopAlone}): the floor no tool can beat;</li>
 * <li>ctys: {@code ctys -t kvm -a cancel=all lab01}, as a user starts it (bin/ctys), through the SSH host;</li>
 * <li>loop: the shell a sysadmin writes, one ssh per command: {@code virsh shutdown} of each guest,
 *     then, guest by guest, {@code virsh domstate} until "shut off", sleeping 1 s between asks
 *     (the usual) and, to be fair, 0.25 s (ctys's poll interval).</li>
 * </ul>
 * Each is run PASSES times (default 3; booting 8 TCG guests takes minutes, so the guests are booted
 * again before every measurement) and printed as the median with the range; ctys's overhead and the
 * loops' ratios are taken within each pass (against that pass's stop time) and their median printed.
 * SSH logins are counted from sshd's log (the last pass).
 * Needs root and the fixture's packages. Run from the project directory after {@code mvn package}
 * (bin/ctys uses target/ctys.jar), under the IT lock:
 * {@code flock /tmp/ctys-it.lock java -cp target/test-classes:target/ctys.jar org.ctys.bench.StackBench [PASSES [SIZES...]]}.
 */
public final class StackBench {
    private static final Duration SLOWEST = Duration.ofSeconds(5);
    private static final Duration FASTEST = Duration.ofSeconds(3);
    private static final Duration BOOT = Duration.ofMinutes(6);

    private StackBench() {}

    /** One size's measurements, a value per pass each. */
    record Row(int guests, List<Double> alone, List<Double> ctys, List<Double> loop1, List<Double> loopQuarter, long ctysLogins,
               long loop1Logins, long loopQuarterLogins, List<String> phases) {}

    /** The median of {@code values} (the mean of the middle two for an even count). */
    static double median(List<Double> values) {
        List<Double> v = values.stream().sorted().toList();
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    public static void main(String[] args) throws Exception {
        int passes = args.length == 0 ? 3 : Integer.parseInt(args[0]);
        if (passes < 1) throw new IllegalArgumentException("PASSES must be at least 1: " + passes);
        List<Integer> sizes = args.length <= 1 ? List.of(1, 4, 8) : List.of(args).subList(1, args.length).stream().map(Integer::parseInt).toList();
        Path dir = Files.createTempDirectory("ctys-stackbench");
        List<Row> rows = new ArrayList<>();
        try (Libvirt lv = Libvirt.start(); VirshHost host = VirshHost.onLoopback(dir)) {
            Path inv = dir.resolve("inventory.yaml");
            Files.writeString(inv, "machines:\n  lab01:\n    host: " + host.sshd.address + "\n    ssh: {user: root, port: "
                    + host.sshd.port + "}\n    hypervisor: kvm\n");
            CtysRunner ctys = new CtysRunner(host.home).inventory(inv).launcher().limit(Duration.ofMinutes(3));
            for (int n : sizes) rows.add(measure(lv, host, ctys, n, passes));
        } finally {
            Proc.deleteTree(dir);
        }
        print(rows, passes);
    }

    private static Row measure(Libvirt lv, VirshHost host, CtysRunner ctys, int n, int passes) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= n; i++) names.add(String.format("ctys-b%d-%d", n, i));
        String slowest = names.get(n - 1);
        List<Double> alone = new ArrayList<>();
        List<Double> ctysTook = new ArrayList<>();
        List<Double> loop1 = new ArrayList<>();
        List<Double> loopQuarter = new ArrayList<>();
        long ctysLogins = 0;
        long[] loopLogins = new long[2];
        List<String> phases = List.of();
        String[] sleeps = {"1", "0.25"};
        for (int pass = 1; pass <= passes; pass++) {
            System.err.printf("stackbench: %d guests, pass %d of %d: stop times %.2f s later; booting%n", n, pass, passes,
                    shift(pass, passes).toMillis() / 1000.0);
            define(lv, n, shift(pass, passes));
            boot(lv, names);
            // (a) the slowest alone, the others running as they will be in (b) and (c)
            alone.add(stopAlone(lv, slowest));
            System.err.printf("stackbench: %d guests: slowest alone %.2f s%n", n, alone.get(alone.size() - 1));
            boot(lv, List.of(slowest));

            // (b) ctys
            long before = logins(host);
            Proc.Outcome r = ctys.run("-d", "2", "-t", "kvm", "-a", "cancel=all", "lab01");
            if (r.exit() != 0) throw new IllegalStateException("ctys failed: " + r);
            ctysTook.add(r.took().toNanos() / 1e9);
            ctysLogins = logins(host) - before;
            allOff(lv, names, "ctys");
            phases = r.err().lines().filter(l -> l.startsWith("ctys: debug: ")).toList();
            System.err.printf("stackbench: %d guests: ctys %.2f s, %d logins%n%s%n%s", n, ctysTook.get(ctysTook.size() - 1), ctysLogins,
                    String.join("\n", phases), r.out());

            // (c) the loop, once polling every second, once every quarter second
            for (int i = 0; i < 2; i++) {
                boot(lv, names);
                before = logins(host);
                Proc.Outcome l = Proc.run(Duration.ofMinutes(3), List.of("sh", "-c", loop(host, names, sleeps[i])));
                if (l.exit() != 0) throw new IllegalStateException("the loop failed: " + l);
                double took = l.took().toNanos() / 1e9;
                (i == 0 ? loop1 : loopQuarter).add(took);
                loopLogins[i] = logins(host) - before;
                allOff(lv, names, "the loop");
                System.err.printf("stackbench: %d guests: loop (sleep %s) %.2f s, %d logins%n", n, sleeps[i], took, loopLogins[i]);
            }
        }
        for (String g : names) lv.virsh("undefine", g);
        return new Row(n, alone, ctysTook, loop1, loopQuarter, ctysLogins, loopLogins[0], loopLogins[1], phases);
    }

    /**
     * The guest's own stop: from the start of a local {@code virsh shutdown} to the moment libvirt
     * says it stopped, heard by a {@code virsh event} connected beforehand (polling {@code virsh
     * domstate} instead, each poll a virsh of some 50 ms, put the floor up to 0.1 s late), then
     * confirmed off.
     */
    static double stopAlone(Libvirt lv, String guest) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("virsh", "-c", Libvirt.URI, "event", "--loop", "--event", "lifecycle").redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C"); // the event's words in English, as the fixture's virsh runs
        Process events = pb.start();
        try {
            java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(events.getInputStream(),
                        java.nio.charset.StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) lines.add(l);
                } catch (java.io.IOException e) {
                    // the process was ended
                }
            }, "stackbench-events");
            reader.setDaemon(true);
            reader.start();
            Thread.sleep(1000); // virsh event connects in some 50 ms; it prints nothing until an event
            if (!events.isAlive()) throw new IllegalStateException("virsh event ended: " + String.join("\n", lines));
            String stopped = "event 'lifecycle' for domain '" + guest + "': Stopped ";
            long t0 = System.nanoTime();
            lv.virshOk("shutdown", guest);
            long until = t0 + Duration.ofMinutes(1).toNanos();
            for (String l; ; ) {
                l = lines.poll(Math.max(1, until - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                if (l == null) throw new IllegalStateException(guest + " did not stop within a minute (no Stopped event)");
                if (l.startsWith(stopped)) break;
            }
            double took = secondsSince(t0);
            if (!lv.awaitOff(guest, Duration.ofSeconds(10))) throw new IllegalStateException(guest + " said Stopped but is not off");
            return took;
        } finally {
            events.destroy();
            if (!events.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                events.destroyForcibly();
                events.waitFor();
            }
        }
    }

    /** The sysadmin's loop: one ssh per command, shutdowns first, then each guest's state until it is off. */
    static String loop(VirshHost host, List<String> names, String sleep) {
        String ssh = "ssh -F /dev/null -o BatchMode=yes -o UserKnownHostsFile=" + host.home.resolve(".ssh/known_hosts")
                + " -i " + host.key.privateKey() + " -p " + host.sshd.port + " root@" + host.sshd.address;
        String guests = String.join(" ", names);
        return "for g in " + guests + "; do " + ssh + " virsh -c qemu:///system shutdown $g >/dev/null || exit 1; done; "
                + "for g in " + guests + "; do while [ \"$(" + ssh + " virsh -c qemu:///system domstate $g)\" != 'shut off' ]; do sleep "
                + sleep + "; done; done";
    }

    /** (Re)defines the {@code n} guests of a size: stop delays from 3 s up to 5 s (the last guest the slowest), plus {@code later}. */
    private static void define(Libvirt lv, int n, Duration later) throws Exception {
        for (int i = 1; i <= n; i++) {
            long ms = n == 1 ? SLOWEST.toMillis() : FASTEST.toMillis() + (SLOWEST.toMillis() - FASTEST.toMillis()) * (i - 1) / (n - 1);
            String name = String.format("ctys-b%d-%d", n, i);
            // the XML names no UUID, so libvirt gives each define a new one, which a domain of that name refuses: undefine it first (it is off)
            lv.virsh("undefine", name);
            lv.define(lv.guest(name, TinyGuest.Kind.SLOW,
                    String.format("52:54:00:c8:%02x:%02x", n, i), 128, Duration.ofMillis(ms).plus(later)));
        }
    }

    /** Starts the guests at the same time and waits until each is ready (acpid listening). */
    private static void boot(Libvirt lv, List<String> names) throws Exception {
        for (String g : names) lv.start(g);
        for (String g : names) lv.awaitReady(g, BOOT);
    }

    private static void allOff(Libvirt lv, List<String> names, String who) {
        for (String g : names) {
            if (!lv.state(g).map("shut off"::equals).orElse(true)) throw new IllegalStateException(who + " left " + g + " running");
        }
    }

    private static long logins(VirshHost host) throws Exception {
        return Files.readAllLines(host.sshd.log()).stream().filter(l -> l.startsWith("Accepted publickey")).count();
    }

    private static double secondsSince(long t0) { return (System.nanoTime() - t0) / 1e9; }

    private static void print(List<Row> rows, int passes) {
        System.out.printf("cancel of a KVM host's guests (real libvirt, TCG guests that stop 3-5 s after the ACPI button%s; median of %d"
                + " pass%s, range in brackets; overhead and ratios within each pass):%n", passes == 1 ? ""
                : String.format(", each pass %.2f s later than the one before", shift(2, passes).toMillis() / 1000.0),
                passes, passes == 1 ? "" : "es");
        System.out.printf("  %6s  %20s  %20s  %13s  %20s  %20s  %15s  %14s%n", "guests", "slowest alone", "ctys", "ctys overhead",
                "loop 1 s", "loop 0.25 s", "loop 1 s / ctys", "loop 0.25/ctys");
        for (Row r : rows) {
            System.out.printf("  %6d  %20s  %20s  %11.1f %%  %20s  %20s  %14.2fx  %13.2fx%n", r.guests(), seconds(r.alone()),
                    seconds(r.ctys()), 100 * (medianRatio(r.ctys(), r.alone()) - 1), seconds(r.loop1()), seconds(r.loopQuarter()),
                    medianRatio(r.loop1(), r.ctys()), medianRatio(r.loopQuarter(), r.ctys()));
        }
        System.out.println("SSH logins (sshd log, 'Accepted publickey'; the last pass):");
        for (Row r : rows) {
            System.out.printf("  %d guests: ctys %d, loop 1 s %d, loop 0.25 s %d%n", r.guests(), r.ctysLogins(), r.loop1Logins(),
                    r.loopQuarterLogins());
        }
        System.out.println("ctys -d 2 phases (the last pass):");
        for (Row r : rows) {
            System.out.printf("  %d guests: %s%n", r.guests(), String.join("; ", r.phases().stream().map(l -> l.substring("ctys: debug: ".length())).toList()));
        }
    }

    /** How much later than their base stop time the guests stop in pass {@code pass} (1-based) of {@code passes}. */
    static Duration shift(int pass, int passes) {
        return Duration.ofMillis(1000L * (pass - 1) / passes);
    }

    /** The median over the passes of {@code a[i] / b[i]}. */
    static double medianRatio(List<Double> a, List<Double> b) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) r.add(a.get(i) / b.get(i));
        return median(r);
    }

    /** "6.08 s [5.95-6.31]": the median and the range of one size's passes. */
    static String seconds(List<Double> values) {
        if (values.size() == 1) return String.format("%.2f s", values.get(0));
        return String.format("%.2f s [%.2f-%.2f]", median(values), values.stream().min(Double::compare).orElseThrow(),
                values.stream().max(Double::compare).orElseThrow());
    }
}
