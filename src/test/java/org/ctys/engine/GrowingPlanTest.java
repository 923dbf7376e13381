package org.ctys.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ctys.engine.run.Progress;
import org.ctys.engine.run.Shells;
import org.ctys.exit.ExitStatus;
import org.ctys.spi.After;
import org.ctys.spi.Discover;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Note;
import org.ctys.spi.Output;
import org.ctys.spi.Plan;
import org.ctys.spi.Remote;
import org.ctys.spi.Result;
import org.ctys.spi.RunCommand;
import org.ctys.spi.StateReader;
import org.ctys.spi.Submit;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;
import org.ctys.spi.WaitForState;
import org.junit.jupiter.api.Test;

/**
 * Plans that grow while they run (a host asked what runs on it), waits on a state a command
 * prints, and targets that wait for others: the engine's side of the VM stack, with a stand-in host.
 */
class GrowingPlanTest {

    /** A host whose "guests" command lists its guests, "state G" prints a guest's state, and "stop G" starts its countdown. */
    static final class Host extends NoInputShells {
        final Map<String, Integer> triesUntilOff = new java.util.LinkedHashMap<>();
        final Map<String, Boolean> stopping = new HashMap<>();
        final List<String> ran = Collections.synchronizedList(new ArrayList<>());

        @Override
        public synchronized Output exec(Remote remote, String command, Duration timeout) throws Failure {
            ran.add(command);
            String[] w = command.split(" ");
            return switch (w[0]) {
                case "guests" -> out(String.join("\n", triesUntilOff.keySet()) + "\n", 0);
                case "stop" -> {
                    stopping.put(w[1], true);
                    yield out("", 0);
                }
                case "state" -> {
                    if (!triesUntilOff.containsKey(w[1])) yield new Output(new byte[0], "no such guest\n".getBytes(), 1, null);
                    int left = triesUntilOff.get(w[1]);
                    if (stopping.getOrDefault(w[1], false) && left > 0) triesUntilOff.put(w[1], left - 1);
                    yield out(stopping.getOrDefault(w[1], false) && left <= 1 ? "off\n" : "running\n", 0);
                }
                case "destroy" -> {
                    triesUntilOff.put(w[1], 0);
                    stopping.put(w[1], true);
                    yield out("", 0);
                }
                default -> out("", 0);
            };
        }

        private static Output out(String s, int status) {
            return new Output(s.getBytes(StandardCharsets.UTF_8), new byte[0], status, null);
        }
    }

    private static final Remote LAB01 = new Remote("lab01", "root", null, List.of());

    private static final StateReader OFF = out -> {
        if (out.exitStatus() != 0) return StateReader.Reading.failed(new String(out.stderr(), StandardCharsets.UTF_8).strip());
        String s = new String(out.stdout(), StandardCharsets.UTF_8).strip();
        return s.equals("off") ? StateReader.Reading.met(s) : StateReader.Reading.notYet(s);
    };

    private static WaitForState offWithin(String guest, int tries, Step otherwise) {
        // each try bounded far above what a loaded machine needs for one in-memory answer: a try cut
        // short would be counted and shift the "try N" the tests expect
        return new WaitForState("lab01[" + guest + "]", LAB01, "state " + guest, OFF, "shut off", "shut-off", "still-running",
                tries, Duration.ofMillis(5), Duration.ofSeconds(10), null, otherwise);
    }

    /** The stack shape: ask, stop every guest found and wait for it, then the host's own step once all are off. */
    private static Discover stack(int tries, boolean force) {
        return new Discover("lab01", LAB01, "guests", Duration.ofSeconds(5), out -> {
            List<Discover.Added> added = new ArrayList<>();
            List<Step> perGuest = new ArrayList<>();
            for (String g : new String(out.stdout(), StandardCharsets.UTF_8).split("\n")) {
                if (g.isBlank()) continue;
                String t = "lab01[" + g + "]";
                added.add(new Discover.Added(t, "lab01"));
                Step destroy = force ? new RunCommand(t, LAB01, "destroy " + g, Duration.ofSeconds(5), Verdict.proceed("destroyed", "destroyed")) : null;
                perGuest.add(new Step.Sequence(List.of(new RunCommand(t, LAB01, "stop " + g, Duration.ofSeconds(5),
                        Verdict.proceed("stopping", "asked to stop")), offWithin(g, tries, destroy))));
            }
            Step host = new After("lab01", added.stream().map(Discover.Added::target).toList(), false, "taken down",
                    new RunCommand("lab01", LAB01, "halt", Duration.ofSeconds(5), Verdict.done("down", "halted")));
            return new Discover.Expanded(added, new Step.Sequence(List.of(new Step.Parallel(0, perGuest), host)));
        }, new Note("lab01", Verdict.proceed("planned", "guests by the inventory: web1"), Map.of()));
    }

    private static Report run(Host host, Step root, String... targets) {
        Engine engine = new Engine(GenericOptions.defaults(), Progress.quiet(), (a, p, t) -> false, () -> host);
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> engine.run(new Plan("test", List.of(targets), root)));
    }

    private static Result result(Report r, String target) {
        return r.results().stream().filter(x -> x.target().equals(target)).findFirst().orElseThrow();
    }

    /** A host whose every command fails as the SSH side reports it: sent or certainly not sent. */
    private static final class Failing extends NoInputShells {
        private final boolean sent;

        Failing(boolean sent) { this.sent = sent; }

        @Override
        public Output exec(Remote remote, String command, Duration timeout) throws Failure {
            throw new Failure(Failure.Kind.FAILED, "lab01: connection lost", null, sent);
        }
    }

    /** An expansion that reports what the engine told it about a command that failed. */
    private static Discover.Expansion telling() {
        return new Discover.Expansion() {
            @Override
            public Discover.Expanded expand(Output out) { throw new AssertionError("the command failed; nothing to expand"); }

            @Override
            public Discover.Expanded unreached(Verdict why, boolean commandSent) {
                return new Discover.Expanded(List.of(), new Note("lab01", Verdict.fail(commandSent ? "may-have-run" : "not-sent",
                        why.message()), Map.of()));
            }
        };
    }

    @Test
    void aQuestionOrSubmissionThatFailedTellsItsExpansionWhetherItsCommandMayHaveRun() {
        for (boolean sent : new boolean[] {true, false}) {
            Step ask = new Discover("lab01", LAB01, "virsh shutdown web1", Duration.ofSeconds(5), telling(), null);
            Step submit = new Submit("lab01", LAB01, "virsh define /dev/stdin", "web1.xml", new byte[0], Duration.ofSeconds(5),
                    telling(), null);
            for (Step step : List.of(ask, submit)) {
                Engine engine = new Engine(GenericOptions.defaults(), Progress.quiet(), (a, p, t) -> false, () -> new Failing(sent));
                Report r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> engine.run(new Plan("test", List.of("lab01"), step)));
                assertThat(result(r, "lab01").state()).as(step.getClass().getSimpleName() + ", sent " + sent)
                        .isEqualTo(sent ? "may-have-run" : "not-sent");
                assertThat(result(r, "lab01").message()).contains("connection lost");
            }
        }
    }

    @Test
    void guestsFoundWhileRunningAreReportedAfterTheirHostAndStoppedBeforeIt() {
        Host host = new Host();
        host.triesUntilOff.put("web1", 3);
        host.triesUntilOff.put("db1", 1);
        Report r = run(host, new Step.Parallel(0, List.of(stack(10, false), new Note("lab02", Verdict.done("ok", "nothing"),
                Map.of()))), "lab01", "lab02");
        assertThat(r.results()).extracting(Result::target).containsExactly("lab01", "lab01[web1]", "lab01[db1]", "lab02");
        assertThat(result(r, "lab01[web1]").state()).isEqualTo("shut-off");
        assertThat(result(r, "lab01[web1]").message()).as(host.ran.toString()).startsWith("shut off after ").contains("(try 3 of 10)");
        assertThat(result(r, "lab01").state()).isEqualTo("down");
        assertThat(host.ran.indexOf("halt")).isGreaterThan(host.ran.lastIndexOf("state web1"));
        assertThat(r.status()).isEqualTo(ExitStatus.OK);
    }

    @Test
    void aGuestThatDoesNotStopKeepsItsHostUpAndBothAreNamed() {
        Host host = new Host();
        host.triesUntilOff.put("web1", 1000);
        Report r = run(host, stack(3, false), "lab01");
        assertThat(result(r, "lab01[web1]").state()).isEqualTo("still-running");
        assertThat(result(r, "lab01[web1]").message()).startsWith("not shut off after ").endsWith(": still running");
        assertThat(result(r, "lab01").state()).isEqualTo("blocked");
        assertThat(result(r, "lab01").message()).isEqualTo("not taken down: lab01[web1] (still-running: "
                + result(r, "lab01[web1]").message() + ")");
        assertThat(host.ran).doesNotContain("halt");
        assertThat(r.status()).isEqualTo(ExitStatus.FAILED);
    }

    @Test
    void whenTheWaitRunsOutTheFallbackRunsInsteadOfFailing() {
        Host host = new Host();
        host.triesUntilOff.put("web1", 1000);
        Report r = run(host, stack(3, true), "lab01");
        assertThat(host.ran).contains("destroy web1", "halt");
        assertThat(result(r, "lab01[web1]").state()).isEqualTo("destroyed");
        assertThat(result(r, "lab01").state()).isEqualTo("down");
    }

    @Test
    void aStateThatCannotBeReadFailsAtOnceWithTheToolsWords() {
        Host host = new Host();
        Report r = run(host, new Step.Sequence(List.of(offWithin("nosuch", 50, null))), "lab01[nosuch]");
        assertThat(result(r, "lab01[nosuch]").message()).isEqualTo("no such guest");
        assertThat(host.ran.stream().filter(c -> c.startsWith("state")).count()).isEqualTo(1);
    }

    @Test
    void aHostWithNothingRunningGoesOnAtOnce() {
        Host host = new Host();
        Report r = run(host, stack(3, false), "lab01");
        assertThat(r.results()).extracting(Result::target).containsExactly("lab01");
        assertThat(result(r, "lab01").state()).isEqualTo("down");
    }

    @Test
    void theDryRunShowsWhatIsKnownBeforeAskingAndAsksNothing() {
        Host host = new Host();
        host.triesUntilOff.put("web1", 1);
        String text = new Plan("test", List.of("lab01"), stack(3, false)).render();
        assertThat(text).contains("ssh root@lab01 guests  # what runs there decides the rest; known before asking:")
                .contains("# lab01: guests by the inventory: web1");
        Engine engine = new Engine(new GenericOptions(null, 64, false, false, null, true, null, false, 0), Progress.quiet(), (a, p, t) -> false, () -> host);
        engine.run(new Plan("test", List.of("lab01"), stack(3, false)));
        assertThat(host.ran).isEmpty();
    }
}
