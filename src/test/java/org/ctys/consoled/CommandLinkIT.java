package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.ctys.inventory.Inventory;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command consoles: real shell commands on a pseudo terminal made by util-linux's script. */
class CommandLinkIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path dir;
    private Openers openers;

    @BeforeEach
    void start() {
        Proc.require("script", "bsdutils");
        openers = new Openers(Inventory::empty, Openers.sshOptions(dir, w -> {}));
    }

    @AfterEach
    void stop() {
        if (openers != null) openers.close();
    }

    @Test
    void aShellLoopRunsOnAPtyItsInputArrivesAndItsExitStatusEndsTheConsole() throws Exception {
        String loop = "tty; i=0; while [ $i -lt 3 ]; do echo tick-$i; i=$((i+1)); done; read answer; echo got-$answer; exit 7";
        try (OpenLink link = openers.open("pdu1", new Endpoint.Command(loop))) {
            Reader r = new Reader(link);
            assertThat(r.until(s -> s.contains("tick-2"), WAIT)).as(r.toString()).isTrue();
            assertThat(r.text()).as("tty names a pseudo terminal").startsWith("/dev/pts/").contains("tick-0\r\ntick-1\r\n");
            byte[] typed = "yes\r".getBytes(StandardCharsets.US_ASCII);
            link.write(typed, typed.length);
            assertThat(r.until(s -> s.contains("got-yes"), WAIT)).as(r.toString()).isTrue();
            assertThat(r.untilEnded(WAIT)).as(r.toString()).isTrue();
            assertThat(r.ended).hasMessage("cmd tty: the command ended with exit status 7");
        }
    }

    /**
     * Closing hangs the command's process group up and then kills what is left: here a shell that
     * ignores SIGHUP and a background sleep that inherited that, both in the group.
     */
    @Test
    void closingLeavesNothingOfTheCommandRunning() throws Exception {
        String stubborn = "trap '' HUP; sleep 300 & echo started; while true; do sleep 1; done";
        CommandLink link = (CommandLink) openers.open("stubborn", new Endpoint.Command(stubborn));
        long group;
        try {
            Reader r = new Reader(link);
            assertThat(r.until(s -> s.contains("started"), WAIT)).as(r.toString()).isTrue();
            group = link.group();
            assertThat(group).isPositive();
            assertThat(members(group)).as("the shell, the background sleep, the loop's sleep").hasSizeGreaterThanOrEqualTo(2);

            long t0 = System.nanoTime();
            Reader idle = new Reader(link);
            idle.until(s -> false, Duration.ofSeconds(2));
            assertThat(idle.cpuNanos).as("CPU of 2 s of waiting on a quiet command").isLessThan((System.nanoTime() - t0) / 20);
        } finally {
            link.close();
        }
        assertThat(Proc.await(() -> members(group).isEmpty(), WAIT)).as("left of group " + group + ": " + members(group)).isTrue();
    }

    @Test
    void aCommandThatCannotRunEndsWithItsShellsStatus() throws Exception {
        try (OpenLink link = openers.open("bad", new Endpoint.Command("no-such-program-here"))) {
            Reader r = new Reader(link);
            assertThat(r.untilEnded(WAIT)).as(r.toString()).isTrue();
            assertThat(r.text()).contains("not found");
            assertThat(r.ended).hasMessage("cmd no-such-program-here: the command ended with exit status 127");
        }
    }

    /** The processes of a process group that still run (zombies excluded: pid 1 reaps them in its own time). */
    private static List<String> members(long group) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).map(p -> {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // state, ppid, pgrp
                    return !after[0].equals("Z") && Long.parseLong(after[2]) == group ? p.getFileName() + " " + stat : null;
                } catch (IOException | RuntimeException e) {
                    return null; // gone meanwhile
                }
            }).filter(s -> s != null).toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc: " + e.getMessage(), e);
        }
    }
}
