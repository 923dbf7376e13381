package org.ctys.plugins.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.ctys.inventory.BmcSettings;
import org.ctys.spi.BootFlagsCheck;
import org.ctys.spi.Follow;
import org.ctys.spi.Output;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;
import org.junit.jupiter.api.Test;

/** The JSON lines of 'ctys-bootd job await' as boot-spec.md defines them, read into progress, output and the job's verdict. */
class JobAwaitTest {
    private static final BmcSettings BMC = new BmcSettings("10.0.1.7", 623, "admin", null, 3, false);

    private final JobAwait await = new JobAwait("lab07", "ABCDEFGHJKMN", BMC, Duration.ofMinutes(10));

    private static String b64(String s) { return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }

    private static Output exit(int status, String stderr) {
        return new Output(new byte[0], stderr.getBytes(StandardCharsets.UTF_8), status, null);
    }

    private static Verdict then(Step s) {
        assertThat(s).isInstanceOf(BootFlagsCheck.class);
        BootFlagsCheck c = (BootFlagsCheck) s;
        assertThat(c.target()).isEqualTo("lab07");
        assertThat(c.bmc()).isEqualTo(BMC);
        return c.then();
    }

    @Test
    void fetchedMovesOnAndDoneCarriesTheExitStatusAndTheOutput() {
        Follow.Seen fetched = await.line("{\"job\":\"ABCDEFGHJKMN\",\"state\":\"fetched\",\"from\":\"10.0.2.15\",\"at\":\"2026-11-30T12:00:12Z\"}");
        assertThat(fetched.progress().effect()).isEqualTo(Verdict.Effect.CONTINUE);
        assertThat(fetched.progress().state()).isEqualTo("fetched");
        assertThat(fetched.progress().message()).startsWith("fetched its script from 10.0.2.15 after ").contains("(job ABCDEFGHJKMN)");
        assertThat(fetched.output()).isNull();

        Follow.Seen done = await.line("{\"job\":\"ABCDEFGHJKMN\",\"state\":\"done\",\"exit\":0,\"output\":\"" + b64("fsck: clean\n")
                + "\",\"at\":\"2026-11-30T12:00:38Z\"}");
        assertThat(new String(done.output(), StandardCharsets.UTF_8)).isEqualTo("fsck: clean\n");
        assertThat(done.progress()).isNull();

        Verdict v = then(await.end(exit(0, "")));
        assertThat(v.effect()).isEqualTo(Verdict.Effect.DONE);
        assertThat(v.state()).isEqualTo("done");
        assertThat(v.message()).matches("script exit 0 \\(fetched from 10\\.0\\.2\\.15 after \\d+\\.\\ds\\); output kept on the server"
                + " with job ABCDEFGHJKMN");
    }

    @Test
    void aReusedTokenIsWhatTheServerSawAndACutOutputIsSaidToBeCut() {
        // ctys-bootd's own lines: a refusal that held the token has no state
        await.line("{\"job\":\"J\",\"state\":\"fetched\",\"from\":\"10.0.2.99\",\"at\":\"2026-11-30T12:00:05Z\"}");
        await.line("{\"job\":\"J\",\"refused\":\"script: token already used\",\"from\":\"10.0.2.15\",\"at\":\"2026-11-30T12:00:12Z\"}");
        await.line("{\"job\":\"J\",\"state\":\"expired\",\"reason\":\"no result by 2026-11-30T12:10:00Z\",\"at\":\"2026-11-30T12:10:00Z\"}");
        Verdict v = then(await.end(exit(1, "")));
        assertThat(v.effect()).isEqualTo(Verdict.Effect.FAIL);
        assertThat(v.message()).isEqualTo("fetched its script from 10.0.2.99 but posted no result before job ABCDEFGHJKMN expired; the server saw: "
                + "refused script: token already used from 10.0.2.15");

        JobAwait cut = new JobAwait("lab07", "K", BMC, Duration.ofMinutes(10));
        cut.line("{\"job\":\"K\",\"state\":\"done\",\"exit\":0,\"output\":\"" + b64("x") + "\",\"outputCut\":true}");
        assertThat(then(cut.end(exit(0, ""))).message()).endsWith("; the output shown is cut at the server's limit");
    }

    @Test
    void aScriptThatFailsFailsTheMachineWithItsExitStatus() {
        await.line("{\"job\":\"J\",\"state\":\"fetched\",\"from\":\"10.0.2.15\"}");
        Follow.Seen done = await.line("{\"job\":\"J\",\"state\":\"done\",\"exit\":3,\"output\":\"" + b64("no disk\n")
                + "\",\"outputFile\":\"/var/lib/ctys-bootd/jobs/J/output\"}");
        assertThat(new String(done.output(), StandardCharsets.UTF_8)).isEqualTo("no disk\n");
        assertThat(done.outputExit()).isEqualTo(3);
        Verdict v = then(await.end(exit(1, "")));
        assertThat(v.effect()).isEqualTo(Verdict.Effect.FAIL);
        assertThat(v.state()).isEqualTo("script-failed");
        assertThat(v.message()).startsWith("script exit 3 (fetched from 10.0.2.15 after ")
                .endsWith("; output on the server: /var/lib/ctys-bootd/jobs/J/output");
    }

    @Test
    void aMachineThatNeverFetchesIsReportedWithWhatTheServerSaw() {
        await.line("{\"job\":\"J\",\"state\":\"pending\"}");
        await.line("{\"job\":\"J\",\"state\":\"expired\",\"events\":[\"12:00:01 GET /ipxe/52:54:00:12:34:07 200\","
                + "{\"at\":\"12:00:09\",\"event\":\"TLS handshake failed\",\"from\":\"10.0.2.15\"}]}");
        Verdict v = then(await.end(exit(1, "")));
        assertThat(v.state()).isEqualTo("expired");
        assertThat(v.message()).isEqualTo("never fetched its script: job ABCDEFGHJKMN expired after 10m; the server saw:"
                + " 12:00:01 GET /ipxe/52:54:00:12:34:07 200; 12:00:09 TLS handshake failed from 10.0.2.15");

        JobAwait silent = new JobAwait("lab07", "J2", BMC, Duration.ofSeconds(90));
        silent.line("{\"state\":\"expired\"}");
        assertThat(then(silent.end(exit(1, ""))).message())
                .isEqualTo("never fetched its script: job J2 expired after 90s; the server saw no request for this job");
    }

    @Test
    void aFetchWithoutAResultAndACancelledJobSaySo() {
        await.line("{\"state\":\"fetched\",\"from\":\"10.0.2.15\"}");
        await.line("{\"state\":\"expired\",\"event\":\"reused token refused from 10.0.9.9\"}");
        assertThat(then(await.end(exit(1, ""))).message()).isEqualTo("fetched its script from 10.0.2.15 but posted no result before"
                + " job ABCDEFGHJKMN expired; the server saw: reused token refused from 10.0.9.9");

        JobAwait cancelled = new JobAwait("lab07", "J3", BMC, Duration.ofMinutes(1));
        cancelled.line("{\"state\":\"cancelled\"}");
        Verdict v = then(cancelled.end(exit(1, "")));
        assertThat(v.state()).isEqualTo("cancelled");
        assertThat(v.message()).startsWith("job J3 was cancelled before the machine fetched it");
    }

    @Test
    void anAwaitThatEndsWithoutAnEndSaysHowAndWhatItPrinted() {
        await.line("Welcome to boot.example");
        await.line("{\"state\":\"pending\"}");
        Verdict v = then(await.end(exit(1, "ctys-bootd: no job ABCDEFGHJKMN\n")));
        assertThat(v.effect()).isEqualTo(Verdict.Effect.FAIL);
        assertThat(v.message()).isEqualTo("'ctys-bootd job await ABCDEFGHJKMN' ended with exit 1 before the job ended (its last state:"
                + " pending): ctys-bootd: no job ABCDEFGHJKMN; it printed what is no job line: Welcome to boot.example");

        JobAwait config = new JobAwait("lab07", "J4", BMC, Duration.ofMinutes(1));
        Verdict refused = then(config.end(exit(3, "ctys-bootd: /etc/ctys/bootd.yaml: no such file\n")));
        assertThat(refused.effect()).isEqualTo(Verdict.Effect.REFUSE);
        assertThat(refused.message()).contains("refused (exit 3): ctys-bootd: /etc/ctys/bootd.yaml: no such file");
    }

    @Test
    void outputThatIsNoBase64IsSaidToBeSoAndLinesAfterTheEndChangeNothing() {
        Follow.Seen done = await.line("{\"state\":\"done\",\"exit\":0,\"output\":\"%%%\"}");
        assertThat(done.output()).isNull();
        assertThat(await.line("{\"state\":\"expired\"}")).isEqualTo(Follow.Seen.NOTHING);
        Verdict v = then(await.end(exit(0, "")));
        assertThat(v.state()).isEqualTo("done");
        assertThat(v.message()).contains("its output was not base64");
    }

    @Test
    void aServerThatCannotBeReachedWhileWaitingStillHasTheBootFlagsReadBack() {
        Verdict v = then(await.unreached(Verdict.fail("timed-out", "the command did not end within 11m and was killed")));
        assertThat(v.state()).isEqualTo("timed-out");
        assertThat(v.message()).isEqualTo("waiting for job ABCDEFGHJKMN: the command did not end within 11m and was killed");
    }
}
