package org.ctys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ctys.engine.run.Progress;
import org.ctys.exit.ExitStatus;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Output;
import org.ctys.spi.Plan;
import org.ctys.spi.Remote;
import org.ctys.spi.Result;
import org.ctys.spi.RunCommand;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;
import org.junit.jupiter.api.Test;

/** A dry run refuses, as a real run does, a target whose SSH configuration refuses its login; it sends nothing. */
class DryRunSshCheckTest {

    /** An SSH configuration that refuses lab02 (a malformed line for it), and notes every command, of which a dry run runs none. */
    private static final class Config extends NoInputShells {
        final List<String> ran = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void check(Remote remote) throws Failure {
            if (remote.host().equals("lab02")) {
                throw new Failure(Failure.Kind.REFUSED, "~/.ssh/config:2: Port 'notaport' is no port", "ssh-config", false);
            }
        }

        @Override
        public Output exec(Remote remote, String command, Duration timeout) {
            ran.add(remote.host() + ": " + command);
            return new Output(new byte[0], new byte[0], 0, null);
        }
    }

    private static Step halt(String host) {
        return new RunCommand(host, new Remote(host, "root", null, List.of()), "halt", Duration.ofSeconds(5), Verdict.done("down", "halted"));
    }

    @Test
    void theRefusedTargetIsReportedAfterThePlanWithExit3AndNothingRuns() {
        Config config = new Config();
        Engine engine = new Engine(new GenericOptions(null, 64, false, false, null, true, null, false, 0), Progress.quiet(),
                (a, p, t) -> false, () -> config);
        Plan plan = new Plan("test", List.of("lab01", "lab02"), new Step.Parallel(0, List.of(halt("lab01"), halt("lab02"))));
        Report report = engine.run(plan);

        assertThat(report.dryRun()).isSameAs(plan);
        assertThat(report.status()).isEqualTo(ExitStatus.CONFIG);
        assertThat(report.results()).extracting(Result::target).containsExactly("lab02");
        assertThat(report.results().get(0).state()).isEqualTo("ssh-config");
        assertThat(report.results().get(0).message()).contains("Port 'notaport'");
        assertThat(config.ran).isEmpty();
    }

    @Test
    void withAConfigurationThatRefusesNothingTheDryRunIsThePlanAlone() {
        Config config = new Config();
        Engine engine = new Engine(new GenericOptions(null, 64, false, false, null, true, null, false, 0), Progress.quiet(),
                (a, p, t) -> false, () -> config);
        Report report = engine.run(new Plan("test", List.of("lab01"), halt("lab01")));
        assertThat(report.status()).isEqualTo(ExitStatus.OK);
        assertThat(report.results()).isEmpty();
        assertThat(config.ran).isEmpty();
    }
}
