package org.ctys.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.ctys.engine.run.Progress;
import org.ctys.engine.run.Shells;
import org.ctys.exit.ExitStatus;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Output;
import org.ctys.spi.Plan;
import org.ctys.spi.Remote;
import org.ctys.spi.Result;
import org.ctys.spi.RunCommand;
import org.ctys.spi.Step;
import org.ctys.spi.WaitForLogin;
import org.junit.jupiter.api.Test;

/** Remote commands and SSH waits as the engine runs them, with a stand-in for the SSH side. */
class RemoteStepsTest {

    /** Answers per host: "ok" prints the host, "fail" exits 2, "refused" has an unknown key, "down" cannot be reached. */
    static class FakeShells extends NoInputShells {
        final List<String> ran = new ArrayList<>();
        final AtomicInteger logins = new AtomicInteger();
        int loginsBeforeSuccess;
        boolean closed;

        @Override
        public synchronized Output exec(Remote remote, String command, Duration timeout) throws Failure {
            ran.add(remote.describe() + " " + command);
            return switch (remote.host()) {
                case "refused" -> throw new Failure(Failure.Kind.REFUSED, "unknown host key for refused");
                case "down" -> throw new Failure(Failure.Kind.FAILED, "connection refused by down:22");
                case "fail" -> new Output(new byte[0], "boom\n".getBytes(StandardCharsets.UTF_8), 2, null);
                default -> new Output((remote.host() + "\n").getBytes(StandardCharsets.UTF_8), new byte[0], 0, null);
            };
        }

        @Override
        public void login(Remote remote, Duration timeout) throws Failure {
            if (remote.host().equals("refused")) throw new Failure(Failure.Kind.REFUSED, "changed host key for refused");
            if (logins.incrementAndGet() <= loginsBeforeSuccess) throw new Failure(Failure.Kind.FAILED, "connection refused");
        }

        @Override
        public org.ctys.console.ConsoleLink shell(Remote remote, org.ctys.console.ConsoleSession.Pty pty) throws Failure {
            throw new Failure(Failure.Kind.FAILED, "no shells in this stand-in");
        }



        @Override

        public org.ctys.console.ConsoleLink console(Remote remote, String command, org.ctys.console.ConsoleSession.Pty pty,

                                                    java.time.Duration start) throws Failure {

            throw new Failure(Failure.Kind.FAILED, "no consoles in this stand-in");

        }


        @Override

        public Tunnel forward(Remote remote, String host, int port) throws Failure {

            throw new Failure(Failure.Kind.FAILED, "no forwards in this stand-in");

        }


        @Override
        public void close() { closed = true; }
    }

    private static Remote remote(String host) { return new Remote(host, "root", null, List.of()); }

    private static RunCommand run(String host) { return new RunCommand(host, remote(host), "hostname", Duration.ofSeconds(5)); }

    private static Report runPlan(FakeShells shells, Step... steps) {
        List<String> targets = new ArrayList<>();
        for (Step s : steps) targets.add(s instanceof RunCommand r ? r.target() : ((WaitForLogin) s).target());
        Engine engine = new Engine(GenericOptions.defaults(), Progress.quiet(), (a, p, t) -> false, () -> shells);
        return assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> engine.run(new Plan("test", targets, new Step.Parallel(0, List.of(steps)))));
    }

    private static Result result(Report report, String target) {
        return report.results().stream().filter(r -> r.target().equals(target)).findFirst().orElseThrow();
    }

    @Test
    void outputAndExitStatusOfEachTargetAreKept() {
        FakeShells shells = new FakeShells();
        Report report = runPlan(shells, run("lab01"), run("fail"));
        assertThat(new String(result(report, "lab01").output().stdout(), StandardCharsets.UTF_8)).isEqualTo("lab01\n");
        assertThat(result(report, "lab01").ok()).isTrue();
        Result failed = result(report, "fail");
        assertThat(failed.status()).isEqualTo(Result.Status.FAILED);
        assertThat(failed.output().exitStatus()).isEqualTo(2);
        assertThat(failed.message()).isEqualTo("exit 2: boom");
        assertThat(report.status()).isEqualTo(ExitStatus.FAILED);
        assertThat(shells.closed).as("the SSH side is closed with the run").isTrue();
    }

    /** Records holds and releases; its exec on "last" waits (a while) until the awaited host's session was released. */
    static final class HoldingShells extends FakeShells {
        final List<String> holds = new ArrayList<>();
        final List<String> releases = new ArrayList<>();
        final String awaited;
        volatile boolean releasedBeforeLast;

        HoldingShells(String awaited) { this.awaited = awaited; }

        /** Hosts whose last hold was given back, as the transport would close their sessions. */
        final List<String> closedSessions = new ArrayList<>();
        private final java.util.Map<String, Integer> counts = new java.util.HashMap<>();

        @Override
        public synchronized void hold(Remote remote) {
            holds.add(remote.host());
            counts.merge(remote.host(), 1, Integer::sum);
        }

        @Override
        public synchronized void release(Remote remote) {
            releases.add(remote.host());
            if (counts.merge(remote.host(), -1, Integer::sum) == 0) closedSessions.add(remote.host());
            notifyAll();
        }

        @Override
        public synchronized Output exec(Remote remote, String command, Duration timeout) throws Failure {
            if (remote.host().equals("last")) {
                long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                try {
                    while (!closedSessions.contains(awaited) && System.nanoTime() < until) wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                releasedBeforeLast = closedSessions.contains(awaited);
            }
            return super.exec(remote, command, timeout);
        }
    }

    @Test
    void eachSessionIsReleasedWithTheLastStepThatReachesItNotAtTheEndOfTheRun() {
        HoldingShells shells = new HoldingShells("lab02");
        Engine engine = new Engine(GenericOptions.defaults(), Progress.quiet(), (a, p, t) -> false, () -> shells);
        // one machine at a time: lab01 twice, then lab02, then lab01 again under another target, then last
        Step plan = new Step.Parallel(1, List.of(new Step.Sequence(List.of(run("lab01"), run("lab01"))), run("lab02"),
                new RunCommand("again", remote("lab01"), "hostname", Duration.ofSeconds(5)), run("last")));
        Report report = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> engine.run(new Plan("test", List.of("lab01", "lab02", "again", "last"), plan)));

        assertThat(report.status()).isEqualTo(ExitStatus.OK);
        assertThat(shells.holds).as("every step that reaches a machine, before any runs")
                .containsExactlyInAnyOrder("lab01", "lab01", "lab01", "lab02", "last");
        assertThat(shells.releasedBeforeLast).as("lab02's session ended before the run did").isTrue();
        assertThat(shells.releases).containsExactlyInAnyOrderElementsOf(shells.holds);
        assertThat(shells.closed).isTrue();
    }

    @Test
    void stepsShownAheadButNeverRunGiveBackTheirHoldWhenTheStepThatFoundMoreEnds() {
        HoldingShells shells = new HoldingShells("lab01");
        Engine engine = new Engine(GenericOptions.defaults(), Progress.quiet(), (a, p, t) -> false, () -> shells);
        // a stack's shape: ask lab01, then run what the answer says (on lab01 and on a guest found there);
        // the preview (lab01's halt as known before asking) is shown by a dry run and never runs
        Step ask = new org.ctys.spi.Discover("lab01", remote("lab01"), "hostname", Duration.ofSeconds(5),
                out -> new org.ctys.spi.Discover.Expanded(List.of(), new Step.Sequence(List.of(
                        new RunCommand("lab01", remote("found01"), "halt", Duration.ofSeconds(5)), run("lab01")))),
                run("lab01"));
        Report report = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> engine.run(new Plan("test", List.of("lab01", "last"),
                new Step.Parallel(1, List.of(ask, run("last"))))));

        assertThat(report.status()).isEqualTo(ExitStatus.OK);
        assertThat(shells.ran).contains("ssh root@lab01 hostname", "ssh root@found01 halt", "ssh root@last hostname");
        assertThat(shells.holds).as("the question and its preview; then, as they run, the steps found")
                .containsExactlyInAnyOrder("lab01", "lab01", "last", "found01", "lab01");
        assertThat(shells.releasedBeforeLast).as("lab01's session ended with its stack, before the next target").isTrue();
        assertThat(shells.releases).containsExactlyInAnyOrderElementsOf(shells.holds);
    }

    @Test
    void theLoginsOfOneCommandsPlansAreKeptForItsNextPlan() {
        HoldingShells shells = new HoldingShells("lab01");
        Engine engine = new Engine(GenericOptions.defaults(), Progress.quiet(), (a, p, t) -> false, () -> shells);
        engine.runAll(List.of(new Plan("one", List.of("lab01"), run("lab01")), new Plan("two", List.of("lab01"), run("lab01"))));
        assertThat(shells.holds).as("-T: one login per host for all its plans, closed at the end").isEmpty();
        assertThat(shells.releases).isEmpty();
        assertThat(shells.closed).isTrue();
    }

    @Test
    void aRefusedHostKeyIsAConfigurationErrorAndAnUnreachableHostAFailure() {
        Report report = runPlan(new FakeShells(), run("lab01"), run("refused"), run("down"));
        assertThat(result(report, "refused").status()).isEqualTo(Result.Status.CONFIG);
        assertThat(result(report, "refused").message()).contains("unknown host key");
        assertThat(result(report, "down").status()).isEqualTo(Result.Status.FAILED);
        assertThat(result(report, "down").output()).isNull();
        assertThat(report.status()).isEqualTo(ExitStatus.CONFIG);
    }

    @Test
    void noSshSideIsMadeForARunWithoutRemoteSteps() {
        Engine engine = new Engine(GenericOptions.defaults(), Progress.quiet(), (a, p, t) -> true,
                () -> { throw new AssertionError("no SSH needed"); });
        Report report = engine.run(new Plan("t", List.of(), new Step.Sequence(List.of())));
        assertThat(report.status()).isEqualTo(ExitStatus.OK);
    }

    @Test
    void waitingForAnSshLoginTriesUntilItSucceeds() {
        FakeShells shells = new FakeShells();
        shells.loginsBeforeSuccess = 2;
        Report report = runPlan(shells, new WaitForLogin("lab01", remote("lab01"), 5, Duration.ofMillis(20), Duration.ofSeconds(1)));
        assertThat(result(report, "lab01").state()).isEqualTo("ssh");
        assertThat(result(report, "lab01").message()).contains("try 3 of 5");
        assertThat(shells.logins).hasValue(3);
    }

    @Test
    void waitingForAnSshLoginGivesUpAfterItsTriesAndAtOnceOnARefusedKey() {
        FakeShells shells = new FakeShells();
        shells.loginsBeforeSuccess = 100;
        Report report = runPlan(shells, new WaitForLogin("lab01", remote("lab01"), 3, Duration.ofMillis(10), Duration.ofSeconds(1)),
                new WaitForLogin("refused", remote("refused"), 50, Duration.ofSeconds(10), Duration.ofSeconds(1)));
        assertThat(result(report, "lab01").state()).isEqualTo("no-ssh");
        assertThat(result(report, "lab01").message()).contains("3 tries");
        assertThat(result(report, "refused").status()).isEqualTo(Result.Status.CONFIG);
        assertThat(report.status()).isEqualTo(ExitStatus.CONFIG);
    }

    @Test
    void aCommandWithoutRemoteRunsOnThisHostBounded() {
        FakeShells shells = new FakeShells();
        Report report = runPlan(shells, new RunCommand("localhost", null, "echo out; echo err >&2; exit 5", Duration.ofSeconds(10)),
                new RunCommand("slow", null, "sleep 30", Duration.ofMillis(300)));
        Result local = result(report, "localhost");
        assertThat(new String(local.output().stdout(), StandardCharsets.UTF_8)).isEqualTo("out\n");
        assertThat(new String(local.output().stderr(), StandardCharsets.UTF_8)).isEqualTo("err\n");
        assertThat(local.output().exitStatus()).isEqualTo(5);
        assertThat(result(report, "slow").state()).isEqualTo("timed-out");
        assertThat(shells.ran).as("nothing went over SSH").isEmpty();
    }
}
