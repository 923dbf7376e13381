package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ctys.cli.Ctys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A valid command line whose action logs in over SSH starts building the client before the
 * inventory is read: an inventory that fails to read (exit 3, nothing sent) leaves it waiting. A dry
 * run, an invalid command line and an action that does not log in build none.
 */
class EarlyClientStartTest {

    @TempDir
    Path dir;
    private Path inventory;

    @BeforeEach
    void noClientWaiting() throws Exception {
        while (ClientStart.waiting()) ClientStart.take();
        inventory = Files.writeString(dir.resolve("inventory.yaml"), "machines:\n  lab01:\n    host: [127.0.0.1\n");
    }

    private int ctys(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--inventory";
        all[1] = inventory.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        return Ctys.run(sink, sink, Map.of("HOME", dir.toString()), all);
    }

    @Test
    void aGuestActionStartsTheClientBeforeTheInventoryIsRead() {
        assertThat(ctys("-t", "kvm", "-a", "list", "lab01")).isEqualTo(3);
        assertThat(ClientStart.waiting()).isTrue();
    }

    @Test
    void aCommandOnTargetsStartsItToo() {
        assertThat(ctys("-t", "cli", "-a", "create=cmd:true", "lab01")).isEqualTo(3);
        assertThat(ClientStart.waiting()).isTrue();
    }

    @Test
    void aDryRunDoesNot() {
        assertThat(ctys("-n", "-t", "xen", "-a", "list", "lab01")).isEqualTo(3);
        assertThat(ClientStart.waiting()).isFalse();
    }

    @Test
    void anInvalidCommandLineDoesNot() {
        assertThat(ctys("-t", "kvm", "-a", "cancel=nosuchsuboption", "lab01")).isEqualTo(2);
        assertThat(ClientStart.waiting()).isFalse();
    }

    @Test
    void anActionThatDoesNotLogInDoesNot() {
        assertThat(ctys("-t", "pm", "-a", "list", "lab01")).isEqualTo(3);
        assertThat(ClientStart.waiting()).isFalse();
    }
}
