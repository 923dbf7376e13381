package org.ctys.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ctys.transport.ipmi.IpmiSim;

/**
 * A machine with a BMC for the boot tests: OpenIPMI's {@code ipmi_sim} (an {@link IpmiSim} on
 * 127.0.0.1, RMCP+ cipher suite 3) whose chassis is a QEMU (TCG) virtual machine. Its
 * chassis_control program ({@code vm-chassis.pl}, written into the work directory) starts QEMU on
 * power on, reports power on while that QEMU lives, stops it on power off (SIGTERM, SIGKILL after
 * 10 s, and answers only once it has exited), and sends QMP {@code system_powerdown} on a soft off
 * and {@code system_reset} on a reset. A reset does not start a new QEMU: the reset machine boots
 * in its normal order, so a one-time PXE or CD boot needs a power on, cycle or off and on.
 *
 * <p>The machine: 512 MiB by default, one virtio NIC on QEMU user networking with Debian's iPXE
 * ROM (ipxe-qemu's efi-virtio.rom, QEMU's default for the device) and DHCP offering
 * {@link Config#bootfile} (10.0.2.2 in the guest is the host's 127.0.0.1), the optional
 * {@link Config#cdrom} as its CD, the optional {@link Config#disk} as its disk (never written:
 * snapshot), and its serial port a TCP server on 127.0.0.1 that ipmi_sim's SOL connects to.
 * QEMU waits ({@code wait=on}) until ipmi_sim has connected before it runs, so SOL misses nothing
 * of a boot (ipmi_sim retries the connection every few seconds, which delays each boot that
 * much); everything the serial port says is also kept in {@link #serialLog()}. Without a boot
 * override the machine boots from its disk only ({@code -boot order=c,strict=on}); Set System
 * Boot Options "pxe" or "cdrom" makes the next power on use {@code -boot once=n} or
 * {@code once=d}, after which the device is "none" again: the override holds for one boot, and
 * Get System Boot Options then answers "No override".
 *
 * <p>No QEMU outlives the kit: ipmi_sim runs under a reaper that waits for the QEMUs the chassis
 * program leaves running, and {@link #close()} powers off, stops ipmi_sim and checks that no QEMU
 * of this directory is left.
 */
public final class VmBmc implements AutoCloseable {
    private static final String QEMU = "/usr/bin/qemu-system-x86_64";
    private static final String IPXE_ROM = "/usr/lib/ipxe/qemu/efi-virtio.rom";
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._/+:=-]+");
    private static final Duration CHASSIS_LIMIT = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What the machine is.
     *
     * @param bootfile  the URL DHCP offers to the iPXE ROM ({@code http://10.0.2.2:PORT/boot.ipxe})
     * @param cdrom     the CD image, if the machine has one; read at each power on, so it may be replaced between boots
     * @param disk      a raw disk image, if the machine has a disk; QEMU writes to a snapshot, never to it
     * @param mac       the NIC's MAC address, lower case
     * @param memoryMiB 128 to 2048
     */
    public record Config(String bootfile, Optional<Path> cdrom, Optional<Path> disk, String mac, int memoryMiB) {
        public Config {
            Objects.requireNonNull(cdrom, "cdrom");
            Objects.requireNonNull(disk, "disk");
            if (!PLAIN.matcher(bootfile).matches() || bootfile.contains(",")) {
                throw new IllegalArgumentException("boot file URL must be plain, without commas or blanks: " + bootfile);
            }
            for (Optional<Path> image : List.of(cdrom, disk)) {
                if (image.isPresent() && !PLAIN.matcher(image.get().toString()).matches()) {
                    throw new IllegalArgumentException("image path must be plain, without commas: " + image.get());
                }
            }
            if (!MAC.matcher(mac).matches() || (Integer.parseInt(mac.substring(0, 2), 16) & 1) != 0) {
                throw new IllegalArgumentException("MAC must be a unicast aa:bb:cc:dd:ee:ff in lower case: " + mac);
            }
            if (memoryMiB < 128 || memoryMiB > 2048) {
                throw new IllegalArgumentException("memory must be 128 to 2048 MiB: " + memoryMiB);
            }
        }

        /** 512 MiB, a random 52:54:00 MAC, no CD, no disk. */
        public static Config booting(String bootfile) {
            byte[] tail = new byte[3];
            RANDOM.nextBytes(tail);
            return new Config(bootfile, Optional.empty(), Optional.empty(),
                    "52:54:00:" + HexFormat.ofDelimiter(":").formatHex(tail), 512);
        }

        public Config withCdrom(Path iso) {
            return new Config(bootfile, Optional.of(iso.toAbsolutePath()), disk, mac, memoryMiB);
        }

        public Config withDisk(Path image) {
            return new Config(bootfile, cdrom, Optional.of(image.toAbsolutePath()), mac, memoryMiB);
        }

        public Config withMac(String address) {
            return new Config(bootfile, cdrom, disk, address, memoryMiB);
        }
    }

    /**
     * One power on: the QEMU's pid, the one-time boot option it got ("n", "d", "c"; empty for the
     * normal order), where its output starts in {@link #serialLog()}, and its command line.
     */
    public record QemuStart(long pid, Optional<String> once, long serialOffset, List<String> command) {
        static QemuStart parse(String line) {
            String[] f = line.split("\t");
            return new QemuStart(Long.parseLong(f[0]), f[1].equals("-") ? Optional.empty() : Optional.of(f[1]),
                    Long.parseLong(f[2]), List.of(Arrays.copyOfRange(f, 3, f.length)));
        }
    }

    private final Path dir;
    private final Config config;
    private final IpmiSim sim;
    private final Path passwordFile;
    private boolean closed;

    private VmBmc(Path dir, Config config, IpmiSim sim, Path passwordFile) {
        this.dir = dir;
        this.config = config;
        this.sim = sim;
        this.passwordFile = passwordFile;
    }

    /**
     * Writes the machine's files into {@code workDir} (its own) and starts its BMC, powered off;
     * returns once the BMC answers. Fails naming the Debian package when QEMU, the iPXE ROM,
     * ipmi_sim or perl is missing.
     */
    public static VmBmc start(Path workDir, Config config) throws IOException {
        Proc.require(QEMU, "qemu-system-x86");
        if (!Files.isReadable(Path.of(IPXE_ROM))) {
            throw new AssertionError(IPXE_ROM + " is missing; the PXE boot of the test machine needs: "
                    + "apt-get install ipxe-qemu");
        }
        Proc.require("/usr/bin/perl", "perl-base");
        for (Optional<Path> image : List.of(config.cdrom(), config.disk())) {
            if (image.isPresent() && !Files.isReadable(image.get())) {
                throw new IllegalArgumentException("no such image: " + image.get());
            }
        }
        Path dir = Files.createDirectories(workDir).toAbsolutePath().normalize();
        for (String name : List.of("vm.conf", "qemu.pid", "starts.log", "serial.log", "qemu.log", "qmp.sock")) {
            Files.deleteIfExists(dir.resolve(name));
        }
        int serialPort = Proc.freePort();
        Files.writeString(dir.resolve("vm.conf"), String.join("\n",
                "qemu=" + QEMU,
                "memory=" + config.memoryMiB(),
                "mac=" + config.mac(),
                "bootfile=" + config.bootfile(),
                "cdrom=" + config.cdrom().map(Path::toString).orElse(""),
                "disk=" + config.disk().map(Path::toString).orElse(""),
                "serial_port=" + serialPort,
                ""));
        Files.createFile(dir.resolve("starts.log"));
        Files.createFile(dir.resolve("serial.log"));
        IpmiSim sim = IpmiSim.start(dir, IpmiSim.Options.defaults()
                .withHost(new IpmiSim.Host(resource("/testkit/vm-chassis.pl"), "tcp:127.0.0.1:" + serialPort)));
        try {
            Path passwordFile = dir.resolve("bmc-password");
            Files.deleteIfExists(passwordFile);
            Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(passwordFile, sim.password() + "\n");
            return new VmBmc(dir, config, sim, passwordFile);
        } catch (IOException | RuntimeException e) {
            sim.close();
            throw e;
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = VmBmc.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The BMC, for {@code IpmiTool.run(vm.sim(), ...)} and its power and boot state. */
    public IpmiSim sim() {
        return sim;
    }

    public String host() {
        return sim.host();
    }

    /** The BMC's UDP port on {@link #host()}. */
    public int port() {
        return sim.port();
    }

    public String user() {
        return sim.user();
    }

    /** A file (0600) holding the BMC password and a newline, for an inventory or {@code ipmitool -f}. */
    public Path passwordFile() {
        return passwordFile;
    }

    public String mac() {
        return config.mac();
    }

    public Config config() {
        return config;
    }

    /** The machine's directory: vm.conf, chassis-control, actions.log, starts.log, serial.log, qemu.log. */
    public Path workDir() {
        return dir;
    }

    /** The boot devices the BMC was asked to set, in order: "pxe", "cdrom", "default", "none", "bios". */
    public List<String> bootRequests() throws IOException {
        return sim.actions().stream().filter(a -> a.startsWith("boot ")).map(a -> a.substring(5)).toList();
    }

    /** Every chassis request, in order: "power 1", "power 0", "boot pxe", "reset", "shutdown", ... */
    public List<String> actions() throws IOException {
        return sim.actions();
    }

    /** Every QEMU started so far, in order. */
    public List<QemuStart> qemuStarts() throws IOException {
        return Files.readAllLines(dir.resolve("starts.log"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).map(QemuStart::parse).toList();
    }

    /** Waits (bounded) until at least {@code count} QEMUs have been started; returns the {@code count}th. */
    public QemuStart awaitStart(int count, Duration limit) throws IOException {
        if (!Proc.await(() -> starts() >= count, limit)) {
            throw new AssertionError("QEMU start " + count + " did not come within " + limit.toSeconds() + " s; "
                    + "chassis requests: " + actions() + "; QEMU's output: " + qemuLog());
        }
        return qemuStarts().get(count - 1);
    }

    private int starts() {
        try {
            return qemuStarts().size();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + dir.resolve("starts.log") + ": " + e.getMessage(), e);
        }
    }

    /** Whether the chassis is powered on, as Get Chassis Status reports it: a QEMU of this machine runs. */
    public boolean poweredOn() {
        return sim.powerState();
    }

    /** Waits (bounded) until the QEMU has exited, e.g. after the guest powered itself off. */
    public boolean awaitPowerOff(Duration limit) {
        return Proc.await(() -> !poweredOn(), limit);
    }

    /** All the serial port has said, over every boot. */
    public Path serialLog() {
        return dir.resolve("serial.log");
    }

    /** What the serial port has said since {@code start}'s power on. */
    public String serialSince(QemuStart start) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(serialLog().toFile(), "r")) {
            long length = file.length();
            byte[] bytes = new byte[(int) Math.max(0, length - start.serialOffset())];
            file.seek(start.serialOffset());
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Waits until the serial port has said {@code text} since {@code start}'s power on and returns
     * all it said since; fails with what it said (and QEMU's own output) otherwise.
     */
    public String awaitSerial(QemuStart start, String text, Duration limit) throws IOException {
        if (!Proc.await(() -> {
            try {
                return serialSince(start).contains(text);
            } catch (IOException e) {
                return false;
            }
        }, limit)) {
            throw new AssertionError("the machine's serial port did not say \"" + text + "\" within "
                    + limit.toSeconds() + " s of QEMU " + start.pid() + "'s start; it said:\n" + serialSince(start)
                    + "\nQEMU's output: " + qemuLog());
        }
        return serialSince(start);
    }

    /** QEMU's own stderr and stdout, over every start. */
    public String qemuLog() throws IOException {
        Path log = dir.resolve("qemu.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    /** The pids of the processes that are a QEMU of this machine (their command line names its directory). */
    public List<Long> qemuProcesses() {
        String mark = dir.resolve("qmp.sock").toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(mark)).orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }

    /**
     * Powers the machine off (QEMU killed and waited for), stops ipmi_sim and its reaper, and fails
     * if any QEMU of this machine is still there.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Proc.Outcome off = Proc.run(CHASSIS_LIMIT,
                    List.of(dir.resolve("chassis-control").toString(), "0x20", "set", "power", "0"));
            if (off.exit() != 0) {
                throw new AssertionError("powering off the test machine failed: " + off.both());
            }
        } finally {
            sim.close();
        }
        List<Long> left = qemuProcesses();
        if (!left.isEmpty()) {
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            throw new AssertionError("QEMU of " + dir + " left running: " + left);
        }
    }
}
