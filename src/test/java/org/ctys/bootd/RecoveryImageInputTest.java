package org.ctys.bootd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to the image build: one line naming the file, the package or the value. */
class RecoveryImageInputTest {
    @TempDir Path dir;

    @Test
    void anUnreadableOrNonPemCaIsNamed() throws Exception {
        assertThatThrownBy(() -> RecoveryImage.build(dir.resolve("image"), dir.resolve("nope.crt"), "boot.example", Optional.empty()))
                .isInstanceOf(IOException.class).hasMessageStartingWith("cannot read the site CA certificate " + dir.resolve("nope.crt"));
        Path junk = Files.writeString(dir.resolve("junk.crt"), "not a certificate\n");
        assertThatThrownBy(() -> RecoveryImage.build(dir.resolve("image"), junk, "boot.example", Optional.empty()))
                .isInstanceOf(IOException.class).hasMessage("the site CA certificate " + junk
                        + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        assertThat(dir.resolve("image")).doesNotExist();
    }

    @Test
    void aServerNameThatIsNoHostNameIsRefused() {
        assertThatThrownBy(() -> RecoveryImage.build(dir, dir.resolve("ca.crt"), "10.0.2.2 evil", Optional.empty()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'10.0.2.2 evil' is not a host name");
    }

    @Test
    void noKernelNamesThePackage() throws Exception {
        Path boot = Files.createDirectories(dir.resolve("boot"));
        assertThatThrownBy(() -> Kernel.choose(boot, dir.resolve("modules"), Optional.empty()))
                .hasMessage("no kernel in " + boot + " (vmlinuz-*): apt-get install linux-image-amd64");
        assertThatThrownBy(() -> Kernel.choose(boot, dir.resolve("modules"), Optional.of("6.1.0-99-amd64")))
                .hasMessage(boot.resolve("vmlinuz-6.1.0-99-amd64") + " is missing: apt-get install linux-image-6.1.0-99-amd64");
        Files.writeString(boot.resolve("vmlinuz-6.1.0-99-amd64"), "k");
        assertThatThrownBy(() -> Kernel.choose(boot, dir.resolve("modules"), Optional.of("6.1.0-99-amd64")))
                .hasMessage(dir.resolve("modules/6.1.0-99-amd64/modules.dep") + " is missing: apt-get install linux-image-6.1.0-99-amd64");
    }

    @Test
    void theNewestKernelIsChosenWhenTheRunningOneIsNotInBoot() throws Exception {
        Path boot = Files.createDirectories(dir.resolve("boot"));
        for (String v : new String[] {"6.1.0-9-amd64", "6.1.0-57-amd64", "5.10.0-30-amd64"}) {
            Files.writeString(boot.resolve("vmlinuz-" + v), "k");
            Files.createDirectories(dir.resolve("modules/" + v));
            Files.writeString(dir.resolve("modules/" + v + "/modules.dep"), "");
        }
        assertThat(Kernel.installed(boot)).containsExactly("5.10.0-30-amd64", "6.1.0-9-amd64", "6.1.0-57-amd64");
        assertThat(Kernel.choose(boot, dir.resolve("modules"), Optional.empty()).version()).isEqualTo("6.1.0-57-amd64");
    }

    @Test
    void aDynamicBusyboxIsRefusedNamingBusyboxStatic() {
        assertThatThrownBy(() -> RecoveryImage.requireStatic(Path.of("/usr/bin/openssl")))
                .hasMessage("/usr/bin/openssl is linked dynamically and cannot run alone in the recovery system: "
                        + "apt-get install busybox-static");
        assertThatThrownBy(() -> RecoveryImage.requireStatic(dir.resolve("busybox")))
                .hasMessage(dir.resolve("busybox") + " is missing: apt-get install busybox-static");
    }

    @Test
    void lddsLinesGiveTheLibrariesAndTheLoaderAndAMissingOneIsNamed() {
        String ldd = """
                \tlinux-vdso.so.1 (0x00007ffd)
                \tlibssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x00007f01)
                \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f02)
                \t/lib64/ld-linux-x86-64.so.2 (0x00007f03)
                """;
        assertThat(SharedLibraries.parse(ldd, Path.of("/usr/bin/openssl"))).containsExactly(
                Path.of("/lib/x86_64-linux-gnu/libssl.so.3"), Path.of("/lib/x86_64-linux-gnu/libc.so.6"),
                Path.of("/lib64/ld-linux-x86-64.so.2"));
        assertThatThrownBy(() -> SharedLibraries.parse("\tlibfoo.so.1 => not found\n", Path.of("/usr/bin/openssl")))
                .hasMessage("/usr/bin/openssl needs libfoo.so.1, which is not installed");
    }
}
