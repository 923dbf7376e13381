package org.ctys.transport.serial;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the native library may be unpacked: only where no other user can rename a directory of
 * ctys's (and so swap it for one holding their own library before it is loaded).
 */
class NativeLibraryPlaceTest {
    @TempDir Path dir;

    private static void chmod(String mode, Path p) throws Exception {
        assertThat(new ProcessBuilder("chmod", mode, p.toString()).inheritIO().start().waitFor()).isZero();
    }

    @Test
    void xdgRuntimeDirCountsOnlyWhenItIsThisUsersOwnAndClosed() throws Exception {
        Path runtime = Files.createDirectory(dir.resolve("run"));
        chmod("700", runtime);
        assertThat(NativeLibrary.private0700(runtime)).isTrue();
        chmod("750", runtime);
        assertThat(NativeLibrary.private0700(runtime)).isFalse();
        Path link = Files.createSymbolicLink(dir.resolve("link"), runtime);
        chmod("700", runtime);
        assertThat(NativeLibrary.private0700(link)).as("through a link").isFalse();
        assertThat(System.getProperty("user.name")).as("giving a directory away needs root (.ci/run runs as root)")
                .isEqualTo("root");
        // root with a user's $XDG_RUNTIME_DIR (sudo -E): that user could rename root's directory in it
        assertThat(new ProcessBuilder("chown", "65534", runtime.toString()).inheritIO().start().waitFor()).isZero();
        assertThat(NativeLibrary.private0700(runtime)).isFalse();
    }

    @Test
    void aTemporaryDirectoryOthersCanWriteNeedsTheStickyBit() throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        chmod("755", tmp);
        assertThat(NativeLibrary.safeParent(tmp)).isTrue();
        chmod("777", tmp);
        assertThat(NativeLibrary.safeParent(tmp)).isFalse();
        chmod("1777", tmp);
        assertThat(NativeLibrary.safeParent(tmp)).isTrue();
        assertThat(NativeLibrary.safeParent(Path.of("/tmp"))).isTrue();
    }
}
