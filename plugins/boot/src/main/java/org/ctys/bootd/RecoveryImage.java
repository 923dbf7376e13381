package org.ctys.bootd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builds the generic recovery image, {@code vmlinuz} and {@code initrd.img} in one directory:
 * Debian's kernel, and an initramfs of busybox-static, openssl with its libraries, the network
 * card drivers, the site CA, the server's name and {@link RecoveryInit}'s /init. Nothing in it
 * is secret: PXE firmware fetches it over plain HTTP, and the CD image adds the job beside it.
 */
public final class RecoveryImage {
    static final String VMLINUZ = "vmlinuz";
    static final String INITRD = "initrd.img";
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");

    /** What was built: the kernel's version, the two files and their sizes, how many driver modules. */
    public record Description(String kernelVersion, Path kernel, long kernelBytes, Path initrd, long initrdBytes,
            long initrdUnpackedBytes, int modules, String serverName) {
        @Override
        public String toString() {
            return "recovery image for " + serverName + ", kernel " + kernelVersion + ":\n"
                    + "  " + kernel + "  " + mib(kernelBytes) + "\n"
                    + "  " + initrd + "  " + mib(initrdBytes) + " (" + mib(initrdUnpackedBytes) + " unpacked, "
                    + modules + " network driver modules)";
        }

        private static String mib(long bytes) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
        }
    }

    private RecoveryImage() {}

    /**
     * Builds {@code imageDir}/vmlinuz and initrd.img (each replaced atomically) for the server
     * {@code serverName} (the name its certificate carries) whose certificate the CA in
     * {@code caCertificate} signed, from the kernel {@code kernelVersion} (default: the running
     * kernel if /boot has it, else the newest in /boot).
     *
     * @throws IllegalStateException naming the Debian package or file that is missing
     */
    public static Description build(Path imageDir, Path caCertificate, String serverName, Optional<String> kernelVersion)
            throws IOException {
        if (serverName == null || !HOST_NAME.matcher(serverName).matches()) {
            throw new IllegalStateException("server name '" + serverName + "' is not a host name (the name in the server's certificate)");
        }
        byte[] ca = caCertificate(caCertificate);
        Kernel kernel = Kernel.choose(Path.of("/boot"), Path.of("/lib/modules"), kernelVersion);
        requireStatic(BUSYBOX);
        if (!Files.isExecutable(OPENSSL)) throw new IllegalStateException(OPENSSL + " is missing: apt-get install openssl");

        InitramfsTree tree = new InitramfsTree();
        for (String d : new String[] {"dev", "proc", "sys", "tmp", "run", "etc", "root"}) tree.dir(d);
        tree.file("/bin/busybox", 0755, Files.readAllBytes(BUSYBOX));
        tree.file(OPENSSL.toString(), 0755, Files.readAllBytes(OPENSSL));
        for (Path lib : SharedLibraries.of(OPENSSL)) tree.file(lib.toString(), 0755, Files.readAllBytes(lib));
        for (String applet : Tools.output(Duration.ofSeconds(10), List.of(BUSYBOX.toString(), "--list-full")).split("\n")) {
            if (!applet.isBlank() && !applet.strip().equals("bin/busybox")) tree.symlink(applet.strip(), "/bin/busybox");
        }
        int modules = NicModules.addTo(tree, kernel.modules(), kernel.version());
        tree.file("/etc/ctys/ca.crt", 0644, ca);
        tree.text("/etc/ctys/server", 0644, serverName + "\n");
        tree.text("/etc/nsswitch.conf", 0644, "hosts: files\n");
        tree.text("/etc/hosts", 0644, "127.0.0.1 localhost\n");
        tree.text(RecoveryInit.UDHCPC_SCRIPT_PATH, 0755, RecoveryInit.UDHCPC_SCRIPT);
        tree.text(RecoveryInit.FUNCTIONS_PATH, 0644, RecoveryInit.FUNCTIONS);
        tree.text("/init", 0755, RecoveryInit.INIT);

        Files.createDirectories(imageDir);
        Path vmlinuz = imageDir.resolve(VMLINUZ);
        Path initrd = imageDir.resolve(INITRD);
        Path tmpKernel = Files.createTempFile(imageDir, "." + VMLINUZ, ".tmp");
        Path tmpInitrd = Files.createTempFile(imageDir, "." + INITRD, ".tmp");
        try {
            Files.copy(kernel.vmlinuz(), tmpKernel, StandardCopyOption.REPLACE_EXISTING);
            tree.writeGzip(tmpInitrd);
            for (Path p : new Path[] {tmpKernel, tmpInitrd}) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmpKernel, vmlinuz, StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmpInitrd, initrd, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmpKernel);
            Files.deleteIfExists(tmpInitrd);
        }
        return new Description(kernel.version(), vmlinuz, Files.size(vmlinuz), initrd, Files.size(initrd), tree.bytes(),
                modules, serverName);
    }

    private static byte[] caCertificate(Path file) throws IOException {
        byte[] pem;
        try {
            pem = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException("cannot read the site CA certificate " + file + ": " + e.getMessage(), e);
        }
        if (!new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
            throw new IOException("the site CA certificate " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return pem;
    }

    static void requireStatic(Path busybox) throws IOException {
        if (!Files.isExecutable(busybox)) throw new IllegalStateException(busybox + " is missing: apt-get install busybox-static");
        // a dynamically linked ELF file names its loader in a PT_INTERP header near its start; busybox-static has none
        byte[] head = new byte[4096];
        int n;
        try (var in = Files.newInputStream(busybox)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (new String(head, 0, n, StandardCharsets.ISO_8859_1).contains("/ld-linux")) {
            throw new IllegalStateException(busybox + " is linked dynamically and cannot run alone in the recovery system: "
                    + "apt-get install busybox-static");
        }
    }
}
