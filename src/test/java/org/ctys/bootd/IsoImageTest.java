package org.ctys.bootd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CD image as grub-mkrescue and xorriso make it, read back with xorriso and cpio (its boot: RecoveryImageIT). */
class IsoImageTest {
    @TempDir Path dir;

    private final JobTicket ticket = new JobTicket("boot.example", "10.0.2.2", 8443, "ABCDEFGHJKLM", "52:54:00:12:34:56", "t0k-_en");

    @Test
    void withATicketTheIsoHoldsTheJobAsASecondInitramfsAndIsPrivate() throws Exception {
        Path image = fakeImage();
        Path iso = dir.resolve("media/lab07.iso");
        new IsoImage(image).write(iso, Optional.of(ticket));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(iso))).isEqualTo("rw-------");
        assertThat(extract(iso, "/boot/grub/grub.cfg")).hasContent(IsoImage.grubConfig(true, SerialConsoleLine.DEFAULT));
        assertThat(extract(iso, "/vmlinuz")).hasContent("kernel");
        Path out = Files.createDirectories(dir.resolve("job"));
        Proc.Outcome o = Proc.run(Proc.SETUP_LIMIT, List.of("/bin/sh", "-c", "gzip -dc " + extract(iso, "/job.img")
                + " | (cd " + out + " && " + Proc.require("cpio", "cpio") + " -idm --quiet)"));
        assertThat(o.exit()).as(o.toString()).isZero();
        assertThat(Files.readString(out.resolve("etc/ctys/job"))).isEqualTo(ticket.jobFile());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("etc/ctys/job")))).isEqualTo("rw-------");
        try (var left = Files.list(iso.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("lab07.iso");
        }
    }

    @Test
    void withoutATicketTheIsoReplacesTheOldOneAndHasNoJob() throws Exception {
        Path image = fakeImage();
        Path iso = dir.resolve("lab07.iso");
        new IsoImage(image).write(iso, Optional.of(ticket));
        new IsoImage(image).write(iso, Optional.empty());
        assertThat(extract(iso, "/boot/grub/grub.cfg")).hasContent(IsoImage.grubConfig(false, SerialConsoleLine.DEFAULT));
        Proc.Outcome list = Proc.run(Proc.SETUP_LIMIT, List.of(Proc.require("xorriso", "xorriso"), "-indev", iso.toString(), "-ls", "/"));
        assertThat(list.out()).contains("'initrd.img'").doesNotContain("job.img");
        assertThat(IsoImage.grubConfig(false, SerialConsoleLine.DEFAULT)).contains("set timeout=0\n").contains("  linux /vmlinuz console=ttyS0,115200\n")
                .contains("  initrd /initrd.img\n");
        assertThat(IsoImage.grubConfig(true, SerialConsoleLine.DEFAULT)).contains("  initrd /initrd.img /job.img\n");
    }

    @Test
    void theConsoleLineOfTheConfigurationIsGrubsAndTheKernels() throws Exception {
        SerialConsoleLine second = SerialConsoleLine.parse("ttyS1,57600");
        assertThat(IsoImage.grubConfig(false, second)).contains("serial --unit=1 --speed=57600\n")
                .contains("  linux /vmlinuz console=ttyS1,57600\n").doesNotContain("ttyS0");
        Path iso = dir.resolve("lab09.iso");
        new IsoImage(fakeImage(), second).write(iso, Optional.empty());
        assertThat(extract(iso, "/boot/grub/grub.cfg")).hasContent(IsoImage.grubConfig(false, second));
        assertThat(SerialConsoleLine.parse("ttyS1")).isEqualTo(new SerialConsoleLine(1, 115200));
        for (String bad : new String[] {"ttyUSB0", "ttyS1,115201", "ttyS1,", "/dev/ttyS1", "ttyS1 quiet"}) {
            assertThat(SerialConsoleLine.parse(bad)).as(bad).isNull();
        }
    }

    @Test
    void withoutABuiltImageItSaysToBuildIt() {
        assertThatThrownBy(() -> new IsoImage(dir).write(dir.resolve("x.iso"), Optional.empty()))
                .hasMessage(dir.resolve("vmlinuz") + " is missing: build the image first (ctys-bootd --build-image)");
    }

    private Path fakeImage() throws Exception {
        Path image = Files.createDirectories(dir.resolve("image"));
        Files.writeString(image.resolve("vmlinuz"), "kernel");
        Files.writeString(image.resolve("initrd.img"), "initrd");
        return image;
    }

    private Path extract(Path iso, String path) {
        Path out = dir.resolve("extracted" + path.replace('/', '_'));
        Proc.Outcome o = Proc.run(Proc.SETUP_LIMIT, List.of(Proc.require("xorriso", "xorriso"), "-osirrox", "on", "-indev",
                iso.toString(), "-extract", path, out.toString()));
        assertThat(o.exit()).as(o.toString()).isZero();
        return out;
    }
}
