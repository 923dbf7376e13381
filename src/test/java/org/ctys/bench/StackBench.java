package org.ctys.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.Libvirt;
import org.ctys.testkit.Proc;
import org.ctys.testkit.TinyGuest;
import org.ctys.testkit.VirshHost;

/**
 * Taking down a KVM host's guests: ctys against the slowest guest's own stop time and against a
 * shell loop, for 1, 4 and 8 guests on one host. Real libvirt (the test kit's {@link Libvirt},
 * QEMU under TCG) and a real OpenSSH host ({@link VirshHost}); every guest powers off a known
 * time after the ACPI button (3 s to 5 s, the slowest 5 s).
 * <ul>
 * <li>slowest alone: {@code virsh shutdown} of the slowest guest only, then {@code virsh domstate}
 *     polled every 50 ms from here (no SSH): the floor no tool can beat;</li>
 * <li>ctys: {@code ctys -t kvm -a cancel=all lab01}, as a user starts it (bin/ctys), through the SSH host;</li>
 * <li>loop: the shell a sysadmin writes, one ssh per command: {@code virsh shutdown} of each guest,
 *     then, guest by guest, {@code virsh domstate} until "shut off", sleeping 1 s between asks
 *     (the usual) and, to be fair, 0.25 s (ctys's poll interval).</li>
 * </ul>
 * Each is one run (booting 8 TCG guests takes minutes); SSH logins are counted from sshd's log.
 * Needs root and the fixture's packages. Run from the project directory after {@code mvn package}
 * (bin/ctys uses target/ctys.jar), under the IT lock:
 * {@code flock /tmp/ctys-it.lock java -cp target/test-classes:target/ctys.jar org.ctys.bench.StackBench [SIZES...]}.
 */
public final class StackBench {
    private static final Duration SLOWEST = Duration.ofSeconds(5);
    private static final Duration FASTEST = Duration.ofSeconds(3);
    private static final Duration BOOT = Duration.ofMinutes(6);

    private StackBench() {}

    record Row(int guests, double alone, double ctys, double loop1, double loopQuarter, long ctysLogins, long loop1Logins,
               long loopQuarterLogins, List<String> phases) {}

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = args.length == 0 ? List.of(1, 4, 8) : List.of(args).stream().map(Integer::parseInt).toList();
        Path dir = Files.createTempDirectory("ctys-stackbench");
        List<Row> rows = new ArrayList<>();
        try (Libvirt lv = Libvirt.start(); VirshHost host = VirshHost.onLoopback(dir)) {
            Path inv = dir.resolve("inventory.yaml");
            Files.writeString(inv, "machines:\n  lab01:\n    host: " + host.sshd.address + "\n    ssh: {user: root, port: "
                    + host.sshd.port + "}\n    hypervisor: kvm\n");
            CtysRunner ctys = new CtysRunner(host.home).inventory(inv).launcher().limit(Duration.ofMinutes(3));
            for (int n : sizes) rows.add(measure(lv, host, ctys, n));
        } finally {
            Proc.deleteTree(dir);
        }
        print(rows);
    }

    private static Row measure(Libvirt lv, VirshHost host, CtysRunner ctys, int n) throws Exception {
        List<TinyGuest> guests = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            // delays from 3 s up to 5 s; the last guest is the slowest
            long ms = n == 1 ? SLOWEST.toMillis() : FASTEST.toMillis() + (SLOWEST.toMillis() - FASTEST.toMillis()) * (i - 1) / (n - 1);
            TinyGuest g = lv.guest(String.format("ctys-b%d-%d", n, i), TinyGuest.Kind.SLOW,
                    String.format("52:54:00:c8:%02x:%02x", n, i), 128, Duration.ofMillis(ms));
            lv.define(g);
            guests.add(g);
        }
        List<String> names = guests.stream().map(TinyGuest::name).toList();
        String slowest = names.get(n - 1);
        System.err.printf("stackbench: %d guests: booting%n", n);

        boot(lv, names);
        // (a) the slowest alone, the others running as they will be in (b) and (c)
        long t0 = System.nanoTime();
        lv.virshOk("shutdown", slowest);
        if (!lv.awaitOff(slowest, Duration.ofMinutes(1))) throw new IllegalStateException(slowest + " did not stop");
        double alone = secondsSince(t0);
        System.err.printf("stackbench: %d guests: slowest alone %.2f s%n", n, alone);
        boot(lv, List.of(slowest));

        // (b) ctys
        long before = logins(host);
        Proc.Outcome r = ctys.run("-d", "2", "-t", "kvm", "-a", "cancel=all", "lab01");
        if (r.exit() != 0) throw new IllegalStateException("ctys failed: " + r);
        double ctysTook = r.took().toNanos() / 1e9;
        long ctysLogins = logins(host) - before;
        allOff(lv, names, "ctys");
        List<String> phases = r.err().lines().filter(l -> l.startsWith("ctys: debug: ")).toList();
        System.err.printf("stackbench: %d guests: ctys %.2f s, %d logins%n%s%n%s", n, ctysTook, ctysLogins, String.join("\n", phases), r.out());

        // (c) the loop, once polling every second, once every quarter second
        double[] loop = new double[2];
        long[] loopLogins = new long[2];
        String[] sleeps = {"1", "0.25"};
        for (int i = 0; i < 2; i++) {
            boot(lv, names);
            before = logins(host);
            Proc.Outcome l = Proc.run(Duration.ofMinutes(3), List.of("sh", "-c", loop(host, names, sleeps[i])));
            if (l.exit() != 0) throw new IllegalStateException("the loop failed: " + l);
            loop[i] = l.took().toNanos() / 1e9;
            loopLogins[i] = logins(host) - before;
            allOff(lv, names, "the loop");
            System.err.printf("stackbench: %d guests: loop (sleep %s) %.2f s, %d logins%n", n, sleeps[i], loop[i], loopLogins[i]);
        }
        for (String g : names) lv.virsh("undefine", g);
        return new Row(n, alone, ctysTook, loop[0], loop[1], ctysLogins, loopLogins[0], loopLogins[1], phases);
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

    private static void print(List<Row> rows) {
        System.out.println("cancel of a KVM host's guests (real libvirt, TCG guests that stop 3-5 s after the ACPI button; one run each):");
        System.out.printf("  %6s  %13s  %8s  %14s  %10s  %13s  %15s  %12s%n", "guests", "slowest alone", "ctys", "ctys overhead",
                "loop 1 s", "loop 0.25 s", "loop 1 s / ctys", "loop 0.25/ctys");
        for (Row r : rows) {
            System.out.printf("  %6d  %11.2f s  %6.2f s  %12.1f %%  %8.2f s  %11.2f s  %14.2fx  %13.2fx%n", r.guests(), r.alone(), r.ctys(),
                    100 * (r.ctys() - r.alone()) / r.alone(), r.loop1(), r.loopQuarter(), r.loop1() / r.ctys(), r.loopQuarter() / r.ctys());
        }
        System.out.println("SSH logins (sshd log, 'Accepted publickey'):");
        for (Row r : rows) {
            System.out.printf("  %d guests: ctys %d, loop 1 s %d, loop 0.25 s %d%n", r.guests(), r.ctysLogins(), r.loop1Logins(),
                    r.loopQuarterLogins());
        }
        System.out.println("ctys -d 2 phases:");
        for (Row r : rows) {
            System.out.printf("  %d guests: %s%n", r.guests(), String.join("; ", r.phases().stream().map(l -> l.substring("ctys: debug: ".length())).toList()));
        }
    }
}
