package org.ctys.bootd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A machine's CD image (BIOS boot, grub-mkrescue): the generic recovery image plus, with a
 * ticket, a second tiny initramfs ({@code /job.img}) holding {@code /etc/ctys/job}. The kernel
 * unpacks both, one over the other. The file is written beside its final path, 0600, and moved
 * over it in one step, so a machine whose virtual CD points at it never reads half an image.
 */
public final class IsoImage implements JobTicket.Media {
    static final String JOB_IMAGE = "job.img";
    private static final Duration LIMIT = Duration.ofMinutes(2);

    private final Path imageDir;
    private final SerialConsoleLine console;

    /** {@code imageDir} holds vmlinuz and initrd.img ({@link RecoveryImage#build}); the console on ttyS0. */
    public IsoImage(Path imageDir) {
        this(imageDir, SerialConsoleLine.DEFAULT);
    }

    IsoImage(Path imageDir, SerialConsoleLine console) {
        this.imageDir = imageDir;
        this.console = console;
    }

    @Override
    public void write(Path iso, Optional<JobTicket> ticket) throws IOException {
        Path grubMkrescue = Tools.require("grub-mkrescue", "grub-common");
        Path pcModules = Path.of("/usr/lib/grub/i386-pc");
        if (!Files.isDirectory(pcModules)) throw new IllegalStateException(pcModules + " is missing: apt-get install grub-pc-bin");
        Tools.require("xorriso", "xorriso");
        for (String f : new String[] {RecoveryImage.VMLINUZ, RecoveryImage.INITRD}) {
            if (!Files.isReadable(imageDir.resolve(f))) {
                throw new IllegalStateException(imageDir.resolve(f) + " is missing: build the image first (ctys-bootd --build-image)");
            }
        }
        Path dir = iso.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // the staging tree holds the token: private to the server from the start
        Path staging = Files.createTempDirectory(dir, "." + iso.getFileName() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Path tree = Files.createDirectories(staging.resolve("tree/boot/grub")).getParent().getParent();
            linkOrCopy(imageDir.resolve(RecoveryImage.VMLINUZ), tree.resolve(RecoveryImage.VMLINUZ));
            linkOrCopy(imageDir.resolve(RecoveryImage.INITRD), tree.resolve(RecoveryImage.INITRD));
            if (ticket.isPresent()) {
                InitramfsTree job = new InitramfsTree().text("/etc/ctys/job", 0600, ticket.get().jobFile());
                job.writeGzip(tree.resolve(JOB_IMAGE));
            }
            Files.writeString(tree.resolve("boot/grub/grub.cfg"), grubConfig(ticket.isPresent(), console));
            Path built = staging.resolve("image.iso");
            Tools.output(LIMIT, List.of(grubMkrescue.toString(), "-d", pcModules.toString(), "-o", built.toString(), tree.toString()));
            Files.setPosixFilePermissions(built, PosixFilePermissions.fromString("rw-------"));
            Files.move(built, iso, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            deleteTree(staging);
        }
    }

    /** Boots at once, on the serial line too (SOL shows it), the job image after the generic one when there is a job. */
    static String grubConfig(boolean withJob, SerialConsoleLine console) {
        return "set timeout=0\n"
                + "set default=0\n"
                + console.grubSerial() + "\n"
                + "terminal_input serial console\n"
                + "terminal_output serial console\n"
                + "menuentry \"ctys recovery\" {\n"
                + "  linux /" + RecoveryImage.VMLINUZ + " " + console.kernelArgument() + "\n"
                + "  initrd /" + RecoveryImage.INITRD + (withJob ? " /" + JOB_IMAGE : "") + "\n"
                + "}\n";
    }

    private static void linkOrCopy(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(from, to);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(all::add);
        }
        for (Path p : all) Files.deleteIfExists(p);
    }
}
