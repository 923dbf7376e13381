package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --log FILE is checked with the rest of the command line, before anything is looked up for
 * sending or started: a file that cannot be written is a configuration error (3), a command that
 * attaches no console ctys sees a usage error (2), and neither creates the file.
 */
class LogOptionTest {
    @TempDir
    Path home;

    @Test
    void aDirectoryIsAConfigurationErrorNamingIt() {
        CliRun r = CliRun.run(home, "--log", home.toString(), "-t", "cli", "-a", "create", "lab1");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("ctys: --log " + home + " cannot be opened: it is a directory\n");
    }

    @Test
    void aFileInADirectoryThatDoesNotExistIsAConfigurationError() {
        CliRun r = CliRun.run(home, "--log", home.resolve("nowhere/s.log").toString(), "-t", "sol", "-a", "create", "lab1");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).contains("cannot be opened: it is in a directory that does not exist");
    }

    @Test
    void aCommandWithoutAConsoleIsAUsageErrorAndTheFileIsNotMade() {
        Path log = home.resolve("wake.log");
        CliRun r = CliRun.run(home, "--log", log.toString(), "-t", "pm", "-a", "create=wol,bmac:aa:bb:cc:dd:ee:01,ping:off");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.firstErrLine()).contains("--log records a console session, and ").contains(" attaches none that ctys sees");
        assertThat(log).doesNotExist();
    }

    @Test
    void commandsOnTargetsAreNotConsoles() {
        CliRun r = CliRun.run(home, "--log", home.resolve("c.log").toString(), "-t", "cli", "-a", "create=cmd:true", "lab1");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.firstErrLine()).contains("--log records a console session");
    }

    @Test
    void theLocalShellHasTheTerminalItselfAndIsNotRecorded() {
        CliRun r = CliRun.run(home, "--log", home.resolve("c.log").toString(), "-t", "cli", "-a", "create");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.firstErrLine()).contains("--log records a console session");
        assertThat(Files.exists(home.resolve("c.log"))).isFalse();
    }

    @Test
    void aDryRunOfAShellWithALogIsValidAndWritesNothing() {
        Path log = home.resolve("dry.log");
        CliRun r = CliRun.run(home, "-n", "--log", log.toString(), "-t", "cli", "-a", "create", "lab1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(log).doesNotExist();
    }
}
