package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.ctys.cli.Ctys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH client is built as soon as the command's type and action say it will most likely log in,
 * before its targets are read (a target list that fails to parse ends each command here, after that
 * point and before anything is looked up or sent); never for a dry run, a wake or a BMC.
 */
class EarlyClientTest {
    @TempDir Path home;

    @BeforeEach
    @AfterEach
    void noneWaiting() {
        if (ClientStart.waiting()) ClientStart.take();
    }

    private int run(String... args) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return Ctys.run(sink, sink, Map.of("HOME", home.toString(), "CTYS_SYSTEM_INVENTORY", home.resolve("none.yaml").toString(),
                "CTYS_ETHERS", home.resolve("no-ethers").toString()), args);
    }

    @Test
    void aGuestsCancelAndACommandOnHostsBuildItAhead() {
        assertThat(run("-t", "kvm", "-a", "cancel=all", "lab[")).isEqualTo(2);
        assertThat(ClientStart.waiting()).as("kvm cancel").isTrue();
        ClientStart.take();
        assertThat(run("-t", "cli", "-a", "create=cmd:true", "lab[")).isEqualTo(2);
        assertThat(ClientStart.waiting()).as("cli create").isTrue();
        ClientStart.take();
        assertThat(run("-t", "pm", "-a", "cancel", "lab[")).isEqualTo(2);
        assertThat(ClientStart.waiting()).as("pm cancel").isTrue();
    }

    @Test
    void aDryRunAWakeAndAPowerListDoNot() {
        assertThat(run("-n", "-t", "kvm", "-a", "cancel=all", "lab[")).isEqualTo(2);
        assertThat(ClientStart.waiting()).as("dry run").isFalse();
        assertThat(run("-t", "pm", "-a", "create=wol", "lab[")).isEqualTo(2);
        assertThat(ClientStart.waiting()).as("wake").isFalse();
        assertThat(run("-t", "sol", "-a", "create", "lab[")).isEqualTo(2);
        assertThat(ClientStart.waiting()).as("sol").isFalse();
    }
}
