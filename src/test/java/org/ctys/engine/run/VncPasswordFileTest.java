package org.ctys.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The viewer's password file is byte for byte what TigerVNC's vncpasswd -f writes, private, and removed. */
class VncPasswordFileTest {
    @TempDir Path dir;

    @Test
    void theFileIsWhatVncpasswdWritesForTheSamePassword() throws Exception {
        String vncpasswd = Proc.require("vncpasswd", "tigervnc-tools");
        for (String password : List.of("secret", "vnc-it-1", "exactly8", "longer than eight")) {
            Path theirs = dir.resolve("theirs");
            Proc.run(Duration.ofSeconds(10), List.of("sh", "-c", "printf '%s\\n' \"$1\" | " + Proc.shellQuote(vncpasswd)
                    + " -f > " + Proc.shellQuote(theirs.toString()), "sh", password));
            try (VncPasswordFile ours = VncPasswordFile.write(password.getBytes(StandardCharsets.UTF_8))) {
                assertThat(Files.readAllBytes(ours.path())).as(password).isEqualTo(Files.readAllBytes(theirs));
            }
        }
    }

    @Test
    void theFileIsPrivateAndGoneOnceClosed() throws Exception {
        Path file;
        try (VncPasswordFile f = VncPasswordFile.write("x".getBytes(StandardCharsets.UTF_8))) {
            file = f.path();
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(file.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        }
        assertThat(file).doesNotExist();
        assertThat(file.getParent()).doesNotExist();
    }
}
