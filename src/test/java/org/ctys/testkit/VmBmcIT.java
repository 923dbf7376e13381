package org.ctys.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ctys.transport.ipmi.IpmiTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test machine with a BMC ({@link VmBmc}) driven by ipmitool as the independent client
 * ({@code -I lanplus -C 3}, password in the environment): power reaches a real QEMU, a one-time
 * PXE boot fetches its iPXE script, kernel and initramfs from an HTTP server of this test through
 * Debian's iPXE ROM, a one-time CD boot boots a grub-mkrescue ISO, and the boot after either one
 * goes back to the disk. The tiny guest of {@link GuestImage} says on its serial console which
 * medium booted it ("ctys-guest: ready pxe-boot", "cdrom-boot", "disk-boot"). Prints the time of
 * each boot under TCG.
 */
class VmBmcIT {
    /** One TCG boot on a busy 2-core machine, firmware to the guest's ready line (about 25 s when idle). */
    private static final Duration BOOT_LIMIT = Duration.ofSeconds(240);
    /** An ACPI guest powers off within this after the power button. */
    private static final Duration SOFT_OFF_LIMIT = Duration.ofSeconds(30);
    private static final Duration SOL_LIMIT = Duration.ofSeconds(30);

    @TempDir static Path media;
    private static GuestImage image;
    private static Path cdrom;
    private static Path disk;
    private static HttpServer http;
    private static final List<String> fetched = new CopyOnWriteArrayList<>();

    @TempDir Path dir;
    private VmBmc vm;

    @BeforeAll
    static void buildMediaAndServeThem() throws IOException {
        Proc.requireRoot();
        image = GuestImage.build(media);
        cdrom = grubImage(media.resolve("cd"), "cdrom-boot");
        disk = grubImage(media.resolve("disk"), "disk-boot");
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        String base = "http://10.0.2.2:" + http.getAddress().getPort();
        Map<String, byte[]> files = Map.of(
                "/boot.ipxe", ("#!ipxe\nkernel " + base + "/vmlinuz console=ttyS0 quiet ctys.kind=acpi ctys.name=pxe-boot\n"
                        + "initrd " + base + "/initramfs.cpio.gz\nboot\n").getBytes(StandardCharsets.UTF_8),
                "/vmlinuz", Files.readAllBytes(image.kernel),
                "/initramfs.cpio.gz", Files.readAllBytes(image.initramfs));
        http.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            fetched.add(path);
            byte[] body = files.get(path);
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (body != null) out.write(body);
            }
        });
        http.start();
    }

    @AfterAll
    static void stopServing() {
        if (http != null) http.stop(0);
    }

    @AfterEach
    void closeAndLeaveNoQemu() {
        if (vm != null) {
            vm.close();
            assertThat(vm.qemuProcesses()).as("QEMUs of the test machine after close()").isEmpty();
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(h -> h.info().command().orElse("?"))
                .filter(c -> c.endsWith("/ipmi_sim") || c.endsWith("/perl") || c.contains("qemu-system")))
                .as("ipmi_sim, its reaper or a QEMU left behind").isEmpty();
    }

    private VmBmc start(VmBmc.Config config) throws IOException {
        vm = VmBmc.start(dir.resolve("vm"), config);
        return vm;
    }

    private static String bootfile() {
        return "http://10.0.2.2:" + http.getAddress().getPort() + "/boot.ipxe";
    }

    @Test
    void powerOnStartsQemuFromItsDiskAndOffAndSoftOffStopIt() throws Exception {
        VmBmc vm = start(VmBmc.Config.booting(bootfile()).withDisk(disk));
        assertThat(status()).isEqualTo("Chassis Power is off");
        assertThat(vm.qemuProcesses()).isEmpty();

        long t0 = System.nanoTime();
        ipmitool("chassis", "power", "on");
        assertThat(status()).isEqualTo("Chassis Power is on");
        VmBmc.QemuStart first = vm.awaitStart(1, Duration.ofSeconds(5));
        assertThat(first.once()).isEmpty();
        assertThat(first.command()).contains("-accel", "tcg", "order=c,strict=on").doesNotContain("-cdrom");
        assertThat(vm.qemuProcesses()).containsExactly(first.pid());
        vm.awaitSerial(first, "SeaBIOS", BOOT_LIMIT);
        System.out.printf("VmBmc: power on to the firmware's first line (QEMU waits for ipmi_sim's SOL to connect):"
                + " %d ms%n", ms(t0));
        vm.awaitSerial(first, "ctys-guest: ready disk-boot", BOOT_LIMIT);
        System.out.printf("VmBmc: power on to the guest's ready line, disk boot: %d ms%n", ms(t0));

        long t1 = System.nanoTime();
        ipmitool("chassis", "power", "soft");
        assertThat(vm.awaitPowerOff(SOFT_OFF_LIMIT)).as("powered off after the power button; serial:%n%s",
                vm.serialSince(first)).isTrue();
        assertThat(vm.serialSince(first)).contains("power button, powering off");
        assertThat(status()).isEqualTo("Chassis Power is off");
        System.out.printf("VmBmc: soft off to power off: %d ms%n", ms(t1));

        ipmitool("chassis", "power", "on");
        VmBmc.QemuStart second = vm.awaitStart(2, Duration.ofSeconds(5));
        assertThat(second.pid()).isNotEqualTo(first.pid());
        // a hard off answers once QEMU has exited
        ipmitool("chassis", "power", "off");
        assertThat(vm.qemuProcesses()).isEmpty();
        assertThat(status()).isEqualTo("Chassis Power is off");
        assertThat(vm.actions()).containsExactly("power 1", "shutdown", "power 1", "power 0");
        assertThat(vm.bootRequests()).isEmpty();
    }

    @Test
    void pxeOnceFetchesTheBootfileShowsTheBootOnSolAndTheNextBootIsTheDisk() throws Exception {
        VmBmc vm = start(VmBmc.Config.booting(bootfile()).withDisk(disk));
        setBootDevice("pxe", "Force PXE");
        assertThat(vm.bootRequests()).containsExactly("pxe");

        int before = fetched.size();
        try (IpmiTool.Sol sol = IpmiTool.Sol.activate(vm.sim(), SOL_LIMIT)) {
            long t0 = System.nanoTime();
            ipmitool("chassis", "power", "on");
            VmBmc.QemuStart pxe = vm.awaitStart(1, Duration.ofSeconds(5));
            assertThat(pxe.once()).contains("n");
            assertThat(pxe.command()).contains("once=n,order=c,strict=on")
                    .anyMatch(a -> a.contains("model=virtio-net-pci,mac=" + vm.mac() + ",bootfile=" + bootfile()));
            sol.readUntil("iPXE", BOOT_LIMIT);
            sol.readUntil("ctys-guest: ready pxe-boot", BOOT_LIMIT);
            System.out.printf("VmBmc: power on to the guest's ready line, PXE boot (iPXE, HTTP): %d ms%n", ms(t0));
            assertThat(fetched.subList(before, fetched.size()))
                    .containsExactly("/boot.ipxe", "/vmlinuz", "/initramfs.cpio.gz");
            assertThat(vm.serialSince(pxe)).contains("ctys-guest: ready pxe-boot");
        }
        // once means once: the override is used up by the power on
        setBootDeviceExpected("No override");

        long t1 = System.nanoTime();
        ipmitool("chassis", "power", "cycle");
        VmBmc.QemuStart next = vm.awaitStart(2, Duration.ofSeconds(15));
        assertThat(next.once()).isEmpty();
        vm.awaitSerial(next, "ctys-guest: ready disk-boot", BOOT_LIMIT);
        System.out.printf("VmBmc: power cycle to the guest's ready line, disk boot: %d ms%n", ms(t1));
        assertThat(fetched).hasSize(before + 3);
        assertThat(vm.actions()).containsExactly("boot pxe", "power 1", "power 0", "power 1");
    }

    @Test
    void cdromOnceBootsTheIsoAndAResetDoesNotBootItAgain() throws Exception {
        VmBmc vm = start(VmBmc.Config.booting(bootfile()).withCdrom(cdrom).withDisk(disk));
        setBootDevice("cdrom", "Force Boot from CD/DVD");

        long t0 = System.nanoTime();
        ipmitool("chassis", "power", "on");
        VmBmc.QemuStart cd = vm.awaitStart(1, Duration.ofSeconds(5));
        assertThat(cd.once()).contains("d");
        assertThat(cd.command()).contains("-cdrom", cdrom.toString(), "once=d,order=c,strict=on");
        vm.awaitSerial(cd, "ctys-guest: ready cdrom-boot", BOOT_LIMIT);
        System.out.printf("VmBmc: power on to the guest's ready line, CD boot (GRUB): %d ms%n", ms(t0));
        setBootDeviceExpected("No override");

        // a reset restarts the same QEMU, in its normal order: the disk
        long t1 = System.nanoTime();
        ipmitool("chassis", "power", "reset");
        vm.awaitSerial(cd, "ctys-guest: ready disk-boot", BOOT_LIMIT);
        System.out.printf("VmBmc: reset to the guest's ready line, disk boot: %d ms%n", ms(t1));
        assertThat(vm.qemuStarts()).hasSize(1);
        assertThat(vm.qemuProcesses()).containsExactly(cd.pid());
        assertThat(vm.actions()).containsExactly("boot cdrom", "power 1", "reset");
    }

    @Test
    void aDeviceTheBmcCannotSetFailsOnlyOnStderrAndChangesNothing() throws Exception {
        VmBmc vm = start(VmBmc.Config.booting(bootfile()));
        assertThat(Files.getPosixFilePermissions(vm.passwordFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(vm.passwordFile())).isEqualTo(vm.sim().password() + "\n");

        // ipmi_sim has no name for the floppy: 0xff, and ipmitool still exits 0
        IpmiTool.Result floppy = IpmiTool.run(vm.sim(), "chassis", "bootdev", "floppy");
        assertThat(floppy.exit()).isZero();
        assertThat(floppy.err()).contains("Set Chassis Boot Parameter 5 failed");
        assertThat(vm.bootRequests()).isEmpty();
        setBootDeviceExpected("No override");

        setBootDevice("pxe", "Force PXE");
        setBootDevice("none", "No override");
        assertThat(vm.bootRequests()).containsExactly("pxe", "none");
        assertThat(vm.qemuStarts()).isEmpty();
    }

    /** {@code chassis bootdev DEVICE}, checked on stderr (ipmitool exits 0 on failure) and read back. */
    private void setBootDevice(String device, String selector) {
        IpmiTool.Result set = IpmiTool.run(vm.sim(), "chassis", "bootdev", device);
        assertThat(set.exit()).isZero();
        assertThat(set.err()).as("ipmitool chassis bootdev %s", device).isEmpty();
        assertThat(set.out()).contains("Set Boot Device to " + device);
        setBootDeviceExpected(selector);
    }

    private void setBootDeviceExpected(String selector) {
        assertThat(ipmitool("chassis", "bootparam", "get", "5")).contains("Boot Device Selector : " + selector);
    }

    private String status() {
        return ipmitool("chassis", "power", "status").strip();
    }

    private String ipmitool(String... args) {
        return IpmiTool.ok(vm.sim(), args);
    }

    private static long ms(long since) {
        return Duration.ofNanos(System.nanoTime() - since).toMillis();
    }

    /**
     * A BIOS-bootable image made by grub-mkrescue (a hybrid ISO: a CD, or a disk) whose GRUB boots
     * the tiny guest at once with {@code ctys.name=NAME}, its menu on the serial port.
     */
    private static Path grubImage(Path staging, String name) throws IOException {
        Proc.require("/usr/bin/grub-mkrescue", "grub-common");
        if (!Files.isDirectory(Path.of("/usr/lib/grub/i386-pc"))) {
            throw new AssertionError("/usr/lib/grub/i386-pc is missing; the test CD needs: apt-get install grub-pc-bin");
        }
        Proc.require("/usr/bin/xorriso", "xorriso");
        Proc.require("/usr/bin/mformat", "mtools");
        Files.createDirectories(staging.resolve("boot/grub"));
        Files.copy(image.kernel, staging.resolve("vmlinuz"));
        Files.copy(image.initramfs, staging.resolve("initramfs.cpio.gz"));
        Files.writeString(staging.resolve("boot/grub/grub.cfg"), String.join("\n",
                "serial --unit=0 --speed=115200",
                "terminal_input serial console",
                "terminal_output serial console",
                "set timeout=0",
                "menuentry " + name + " {",
                "  linux /vmlinuz console=ttyS0 quiet ctys.kind=acpi ctys.name=" + name,
                "  initrd /initramfs.cpio.gz",
                "}",
                ""));
        Path iso = staging.resolveSibling(name + ".iso");
        Proc.Outcome made = Proc.run(Duration.ofSeconds(120),
                List.of("/usr/bin/grub-mkrescue", "-o", iso.toString(), staging.toString()));
        assertThat(made.exit()).as("grub-mkrescue: %s", made).isZero();
        return iso;
    }
}
