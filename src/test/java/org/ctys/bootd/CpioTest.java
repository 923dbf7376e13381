package org.ctys.bootd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The newc writer, read back by GNU cpio (what the kernel's unpacker reads, the same format). */
class CpioTest {
    @TempDir Path dir;

    @Test
    void gnuCpioReadsBackDirectoriesFilesModesAndSymlinks() throws Exception {
        byte[] odd = new byte[4097];
        for (int i = 0; i < odd.length; i++) odd[i] = (byte) i;
        Path archive = dir.resolve("a.cpio.gz");
        Cpio.writeGzipNewc(archive, List.of(
                Cpio.Entry.dir("bin"),
                Cpio.Entry.file("bin/busybox", 0755, "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8)),
                Cpio.Entry.symlink("bin/sh", "/bin/busybox"),
                Cpio.Entry.dir("etc"),
                Cpio.Entry.dir("etc/ctys"),
                Cpio.Entry.file("etc/ctys/job", 0600, "token=x\n".getBytes(StandardCharsets.UTF_8)),
                Cpio.Entry.file("odd-sized.bin", 0644, odd),
                Cpio.Entry.file("empty", 0644, new byte[0])));

        Path out = Files.createDirectories(dir.resolve("out"));
        String cpio = Proc.require("cpio", "cpio");
        Proc.Outcome o = Proc.run(Proc.SETUP_LIMIT, List.of("/bin/sh", "-c",
                "gzip -dc " + archive + " | (cd " + out + " && " + cpio + " -idm --quiet --no-absolute-filenames)"));
        assertThat(o.exit()).as(o.toString()).isZero();

        assertThat(out.resolve("bin/busybox")).hasContent("#!/bin/sh\necho hi");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("bin/busybox")))).isEqualTo("rwxr-xr-x");
        assertThat(Files.readSymbolicLink(out.resolve("bin/sh"))).isEqualTo(Path.of("/bin/busybox"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("etc/ctys/job")))).isEqualTo("rw-------");
        assertThat(Files.readAllBytes(out.resolve("odd-sized.bin"))).isEqualTo(odd);
        assertThat(out.resolve("empty")).isEmptyFile();
        assertThat(Files.isDirectory(out.resolve("etc/ctys"), LinkOption.NOFOLLOW_LINKS)).isTrue();

        Proc.Outcome list = Proc.run(Proc.SETUP_LIMIT, List.of("/bin/sh", "-c", "gzip -dc " + archive + " | " + cpio + " -itv --quiet"));
        assertThat(list.out()).contains("root     root").contains("lrwxrwxrwx").contains("bin/sh -> /bin/busybox");
    }

    @Test
    void anAbsoluteOrEmptyNameIsRefused() {
        assertThatThrownBy(() -> Cpio.Entry.dir("/etc")).hasMessageContaining("'/etc'");
        assertThatThrownBy(() -> Cpio.Entry.file("", 0644, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
