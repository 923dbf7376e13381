package org.ctys.transport.ssh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host key the daemon makes on its first start, and its public half beside it. */
class HostKeyFileTest {
    @TempDir
    Path dir;

    @Test
    void aMissingKeyIsMadeWithItsPublicHalf() throws Exception {
        Path key = dir.resolve("host_key");
        assertThat(HostKeyFile.loadOrMake(key)).hasSize(1);
        assertThat(Files.readString(dir.resolve("host_key.pub"))).startsWith("ssh-ed25519 AAAA");
        assertThat(HostKeyFile.loadOrMake(key).get(0).getPublic()).isEqualTo(HostKeyFile.loadOrMake(key).get(0).getPublic());
    }

    /** A link planted where the public half goes would have the daemon write through it (as root, anywhere). */
    @Test
    void aLinkWhereThePublicHalfGoesIsNotWrittenThrough() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "left alone\n");
        Files.createSymbolicLink(dir.resolve("host_key.pub"), victim);
        assertThatThrownBy(() -> HostKeyFile.loadOrMake(dir.resolve("host_key"))).isInstanceOf(IOException.class)
                .hasMessage("cannot make host key " + dir.resolve("host_key") + ": " + dir.resolve("host_key.pub") + " is a symbolic link");
        assertThat(Files.readString(victim)).isEqualTo("left alone\n");
        assertThat(dir.resolve("host_key")).doesNotExist();
    }
}
