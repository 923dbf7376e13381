package org.ctys.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in {@code xl} (src/test/resources/org/ctys/stack/xl: it speaks xl's command line and
 * formats as documented for Xen 4.17, it is not Xen) driven by exactly the commands of the Xl
 * dialect through {@code sh -c}, and read back with the dialect's parsers: the two agree.
 */
class XlStandInTest {
    @TempDir Path dir;
    private Xl xl;
    private Map<String, String> env;

    @BeforeEach
    void standIn() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path script = Files.copy(Shell.resource("xl"), bin.resolve("xl"));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path etc = Files.createDirectories(dir.resolve("etc xen"));
        Path auto = Files.createDirectories(etc.resolve("auto"));
        env = Map.of("PATH", bin.toString(), "CTYS_XL_STATE", dir.resolve("state").toString());
        xl = new Xl(etc.toString(), auto.toString(), dir.resolve("save").toString());
        Files.writeString(etc.resolve("web1.cfg"), """
                name = "web1"
                memory = 512
                vcpus = 2
                vif = [ 'mac=00:16:3E:00:00:01,bridge=xenbr0', 'mac=00:16:3e:00:00:02' ]
                vfb = [ 'vnc=1,vnclisten=127.0.0.1,vncdisplay=1,vncunused=0' ]
                ctys_stop_seconds = 0
                """);
        Files.writeString(etc.resolve("-x it's.cfg"), """
                name = "-x it's"   # a name a shell and getopt would both misread
                type = "hvm"
                memory = 256
                vnc = 1
                ctys_ignore_shutdown = 1
                """);
        Files.writeString(etc.resolve("slow.cfg"), "name = 'slow'\nmemory = 128\nctys_stop_seconds = 3600\n");
        Files.createSymbolicLink(auto.resolve("web1.cfg"), etc.resolve("web1.cfg"));
    }

    @Test
    void listAndDetailsOfGuestsItStarted() {
        ok(xl.start(null, "web1"));
        ok(xl.start(null, "-x it's"));
        assertThat(xl.parseList(ok(xl.list(null)).out())).containsExactly(
                new Guest("web1", GuestState.RUNNING, "1", 512L * 1024, 2, true),
                new Guest("-x it's", GuestState.RUNNING, "2", 256L * 1024, 1, false));
        assertThat(xl.parseDetails(ok(xl.details(null)).out())).containsExactly(
                new GuestDetails("web1", List.of("00:16:3e:00:00:01", "00:16:3e:00:00:02"),
                        List.of("serial", "vnc:127.0.0.1:5901")),
                new GuestDetails("-x it's", List.of(), List.of("serial", "vnc")));
    }

    @Test
    void anAutostartGuestThatIsOffIsListedOff() {
        assertThat(xl.parseList(ok(xl.list(null)).out()))
                .containsExactly(new Guest("web1", GuestState.OFF, null, null, null, true));
    }

    @Test
    void shutdownReturnsAtOnceAndTheGuestGoesAfterItsTime() {
        ok(xl.start(null, "web1"));
        ok(xl.start(null, "slow"));
        ok(xl.shutdown(null, "slow"));
        ok(xl.shutdown(null, "web1"));
        assertThat(state("web1")).isEqualTo(GuestState.ABSENT);  // 0 s to stop
        assertThat(state("slow")).isEqualTo(GuestState.RUNNING); // an hour to stop: still shutting down inside
        ok(xl.destroy(null, "slow"));
        assertThat(state("slow")).isEqualTo(GuestState.ABSENT);
    }

    @Test
    void aGuestThatIgnoresShutdownStaysUntilDestroyed() {
        ok(xl.start(null, "-x it's"));
        Proc.Outcome o = ok(xl.shutdown(null, "-x it's"));
        assertThat(o.err()).isEqualTo("Shutting down domain 1\n");
        assertThat(state("-x it's")).isEqualTo(GuestState.RUNNING);
        ok(xl.destroy(null, "-x it's"));
        assertThat(state("-x it's")).isEqualTo(GuestState.ABSENT);
    }

    @Test
    void pauseUnpauseAndReset() {
        ok(xl.start(null, "-x it's"));
        ok(xl.pause(null, "-x it's"));
        assertThat(state("-x it's")).isEqualTo(GuestState.PAUSED);
        ok(xl.unpause(null, "-x it's"));
        assertThat(state("-x it's")).isEqualTo(GuestState.RUNNING);
        ok(xl.reset(null, "-x it's"));
        assertThat(state("-x it's")).isEqualTo(GuestState.RUNNING);
    }

    @Test
    void saveKeepsTheGuestOnDiskAndRestoreBringsItBack() {
        ok(xl.start(null, "-x it's"));
        ok(xl.save(null, "-x it's"));
        assertThat(state("-x it's")).isEqualTo(GuestState.ABSENT);
        assertThat(xl.parseList(ok(xl.list(null)).out()))
                .contains(new Guest("-x it's", GuestState.SAVED, null, null, null, false));
        ok(xl.restore(null, "-x it's"));
        assertThat(state("-x it's")).isEqualTo(GuestState.RUNNING);
        assertThat(dir.resolve("save").resolve("-x it's")).doesNotExist();
    }

    @Test
    void failuresSpeakXlsWords() {
        Proc.Outcome absent = Shell.run(xl.state(null, "nosuch"), env);
        assertThat(absent.exit()).isEqualTo(1);
        assertThat(absent.err()).isEqualTo("nosuch is an invalid domain identifier (rc=-6)\n");
        Proc.Outcome restore = Shell.run(xl.restore(null, "nosuch"), env);
        assertThat(restore.exit()).isEqualTo(1);
        assertThat(restore.err()).isEqualTo("Can't open restore file: No such file or directory\n");
        ok(xl.start(null, "web1"));
        Proc.Outcome twice = Shell.run(xl.start(null, "web1"), env);
        assertThat(twice.exit()).as(twice.toString()).isEqualTo(3);
        assertThat(twice.err()).contains("Domain with name \"web1\" already exists.");
    }

    @Test
    void listsThatRaceAGuestLeavingAllSucceed() throws Exception {
        // Several xl at once on one host, as ctys's parallel waits run them: each list whole, none
        // failing on the files of a guest another xl is just removing.
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 5; round++) {
                ok(xl.start(null, "web1"));
                ok(xl.shutdown(null, "web1")); // 0 s to stop: the next xl to look removes it
                List<Future<Proc.Outcome>> lists = new ArrayList<>();
                for (int i = 0; i < 6; i++) lists.add(pool.submit(() -> Shell.run(xl.list(null), env)));
                for (Future<Proc.Outcome> f : lists) {
                    Proc.Outcome o = f.get(30, TimeUnit.SECONDS);
                    assertThat(o.exit()).as("xl list beside others: %s", o.err()).isZero();
                    assertThat(o.err()).isEmpty();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private GuestState state(String guest) {
        Proc.Outcome o = Shell.run(xl.state(null, guest), env);
        return xl.parseState(guest, o.out(), o.err(), o.exit());
    }

    private Proc.Outcome ok(String commandLine) {
        Proc.Outcome o = Shell.run(commandLine, env);
        assertThat(o.exit()).as(o.toString()).isZero();
        return o;
    }
}
