package org.ctys.plugins.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.ctys.inventory.BmcSettings;
import org.ctys.spi.BmcPower;
import org.ctys.spi.Discover;
import org.ctys.spi.Follow;
import org.ctys.spi.Note;
import org.ctys.spi.Output;
import org.ctys.spi.Remote;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;
import org.junit.jupiter.api.Test;

/** The answer of 'ctys-bootd job add': the job's id makes the boot and the wait; anything else ends the machine's job there. */
class JobRegisteredTest {
    private static final BmcSettings BMC = new BmcSettings("10.0.1.7", 623, "admin", null, 3, false);
    private static final BootServerReach SERVER = new BootServerReach(new Remote("boot", "root", null, List.of()), "boot",
            "/etc/ctys/bootd.yaml");

    private static Discover.Expanded answer(String stdout, String stderr, int exit) {
        return JobPlanner.registered("lab07", new Output(stdout.getBytes(StandardCharsets.UTF_8),
                stderr.getBytes(StandardCharsets.UTF_8), exit, null), BMC, SERVER, "PXE", Duration.ofMinutes(10));
    }

    @Test
    void theJobsIdLeadsToTheBootOnceAndTheWait() {
        Discover.Expanded e = answer("motd line\n{\"job\":\"ABCDEFGHJKMN\",\"machine\":\"lab07\",\"via\":\"pxe\","
                + "\"expires\":\"2026-11-30T12:10:00Z\"}\n", "", 0);
        List<Step> steps = ((Step.Sequence) e.next()).steps();
        Note registered = (Note) steps.get(0);
        assertThat(registered.verdict()).isEqualTo(Verdict.proceed("registered",
                "job ABCDEFGHJKMN registered on boot, expires 2026-11-30T12:10:00Z"));
        BmcPower boot = (BmcPower) steps.get(1);
        assertThat(boot.procedure()).isEqualTo(BmcPower.Procedure.BOOT_ONCE);
        assertThat(boot.boot()).isEqualTo("PXE");
        assertThat(boot.finish()).isFalse();
        Follow await = (Follow) steps.get(2);
        assertThat(await.command()).isEqualTo("ctys-bootd --config /etc/ctys/bootd.yaml job await ABCDEFGHJKMN --limit 10m");
        assertThat(await.timeout()).isEqualTo(Duration.ofMinutes(11));
        assertThat(await.remote()).isEqualTo(SERVER.remote());
    }

    @Test
    void aRefusalOrAnAnswerWithoutAJobEndsThere() {
        Note config = (Note) answer("", "ctys-bootd: cannot read /etc/ctys/bootd.yaml\n", 3).next();
        assertThat(config.verdict().effect()).isEqualTo(Verdict.Effect.REFUSE);
        assertThat(config.verdict().message()).isEqualTo("the boot server boot refused the job (exit 3): ctys-bootd: cannot read"
                + " /etc/ctys/bootd.yaml");
        Note failed = (Note) answer("", "sh: ctys-bootd: not found\n", 127).next();
        assertThat(failed.verdict().state()).isEqualTo("job-refused");
        assertThat(failed.verdict().message()).endsWith("ended with exit 127: sh: ctys-bootd: not found");
        Note noJob = (Note) answer("{\"job\":\"a b\"}\nhello\n", "", 0).next();
        assertThat(noJob.verdict().state()).isEqualTo("not-a-boot-server");
    }

    @Test
    void durationsAreWholeSecondsMinutesOrHoursForTheServer() {
        assertThat(JobPlanner.Durations.word(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(JobPlanner.Durations.word(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(JobPlanner.Durations.word(Duration.ofMillis(10_500))).isEqualTo("11s");
        assertThat(JobPlanner.Durations.word(Duration.ofHours(2))).isEqualTo("2h");
    }
}
