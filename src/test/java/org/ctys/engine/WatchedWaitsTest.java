package org.ctys.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.ctys.engine.run.Progress;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Output;
import org.ctys.spi.Plan;
import org.ctys.spi.Remote;
import org.ctys.spi.Result;
import org.ctys.spi.StateReader;
import org.ctys.spi.StateWatch;
import org.ctys.spi.Step;
import org.ctys.spi.WaitForState;
import org.junit.jupiter.api.Test;

/**
 * Waits with a watch ({@code virsh event --loop}): a line that says the state holds ends the wait
 * at once, between tries or while a slow try is still asking; the waits of one host share one
 * watch, which ends with them; a watch that cannot start leaves the waits asking as before.
 */
class WatchedWaitsTest {
    private static final Remote LAB01 = new Remote("lab01", "root", null, List.of());
    private static final String EVENTS = "events";

    /**
     * A host whose state question takes {@code answerMillis} and says "running" for ever; its watch
     * prints "g1 off" after 150 ms and "g2 off" after 300 ms (when {@code watchable}).
     */
    static final class Host extends NoInputShells {
        final long answerMillis;
        final boolean watchable;
        final AtomicInteger questions = new AtomicInteger();
        final AtomicInteger opened = new AtomicInteger();
        final List<Boolean> closed = new CopyOnWriteArrayList<>();
        final Map<String, Integer> commands = new ConcurrentHashMap<>();

        Host(long answerMillis, boolean watchable) {
            this.answerMillis = answerMillis;
            this.watchable = watchable;
        }

        @Override
        public Output exec(Remote remote, String command, Duration timeout) {
            questions.incrementAndGet();
            try {
                Thread.sleep(answerMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Output("g1 running\ng2 running\n".getBytes(StandardCharsets.UTF_8), new byte[0], 0, null);
        }

        @Override
        public Watch watch(Remote remote, String command, Duration open, OutputStream out, OutputStream err) throws Failure {
            if (!watchable) throw new Failure(Failure.Kind.FAILED, "no room");
            opened.incrementAndGet();
            commands.merge(command, 1, Integer::sum);
            int index = closed.size();
            closed.add(false);
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(150);
                    out.write("noise about g3\ng1 off\n".getBytes(StandardCharsets.UTF_8));
                    Thread.sleep(150);
                    out.write("g2 ".getBytes(StandardCharsets.UTF_8)); // a line may come in pieces
                    out.write("off\n".getBytes(StandardCharsets.UTF_8));
                    Thread.sleep(60_000);
                } catch (InterruptedException | IOException e) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            return new Watch() {
                @Override
                public boolean isOpen() { return !closed.get(index); }

                @Override
                public void close() {
                    closed.set(index, true);
                    t.interrupt();
                }
            };
        }
    }

    private static StateReader off(String guest) {
        return out -> new String(out.stdout(), StandardCharsets.UTF_8).contains(guest + " off\n")
                ? StateReader.Reading.met("off") : StateReader.Reading.notYet("running");
    }

    private static WaitForState wait(String guest, Duration limit) {
        return new WaitForState("lab01[" + guest + "]", LAB01, "states", off(guest), "shut off", "shut-off", "still-running",
                (int) (limit.toMillis() / 100), Duration.ofMillis(100), Duration.ofSeconds(5), limit, null,
                new StateWatch("test event", EVENTS, line -> line.equals(guest + " off")));
    }

    private static Report run(Host host, Step root, List<String> targets) {
        Engine engine = new Engine(GenericOptions.defaults(), Progress.quiet(), (a, p, t) -> false, () -> host);
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> engine.run(new Plan("test", targets, root)));
    }

    @Test
    void aLineThatSaysSoEndsTheWaitWhileASlowQuestionIsStillAsked() {
        // every question takes 2 s: only the watch can tell g1 off within the first second
        Host host = new Host(2000, true);
        long t0 = System.nanoTime();
        Report r = run(host, wait("g1", Duration.ofSeconds(10)), List.of("lab01[g1]"));
        double seconds = (System.nanoTime() - t0) / 1e9;

        Result res = r.results().get(0);
        assertThat(res.state()).as(res.toString()).isEqualTo("shut-off");
        assertThat(res.message()).contains("told by test event");
        assertThat(seconds).as("the run ends with the line, not with the question under way").isLessThan(1.5);
        assertThat(host.closed).as("the watch ended with its wait").containsExactly(true);
    }

    @Test
    void theWaitsOfOneHostShareOneWatchAndEachHearsOnlyItsOwnLine() {
        Host host = new Host(20, true);
        Report r = run(host, new Step.Parallel(0, List.of(wait("g1", Duration.ofSeconds(10)), wait("g2", Duration.ofSeconds(10)))),
                List.of("lab01[g1]", "lab01[g2]"));

        assertThat(r.results()).allSatisfy(res -> {
            assertThat(res.state()).as(res.toString()).isEqualTo("shut-off");
            assertThat(res.message()).contains("told by test event");
        });
        assertThat(host.opened.get()).as("one watch for the host").isEqualTo(1);
        assertThat(host.commands).containsOnlyKeys(EVENTS);
        assertThat(host.closed).containsExactly(true);
        // the questions went on while waiting: a watch hastens a wait, it does not replace it
        assertThat(host.questions.get()).isGreaterThan(1);
    }

    @Test
    void aLineAboutAnotherGuestDoesNotEndAWait() {
        Host host = new Host(20, true);
        Report r = run(host, wait("g7", Duration.ofMillis(600)), List.of("lab01[g7]"));

        Result res = r.results().get(0);
        assertThat(res.state()).as(res.toString()).isEqualTo("still-running");
        assertThat(host.closed).containsExactly(true);
    }

    @Test
    void aWatchThatCannotStartLeavesTheWaitAsking() {
        Host host = new Host(20, false);
        Report r = run(host, wait("g1", Duration.ofMillis(600)), List.of("lab01[g1]"));

        Result res = r.results().get(0);
        assertThat(res.state()).as(res.toString()).isEqualTo("still-running");
        assertThat(res.message()).contains("not shut off after");
        assertThat(host.questions.get()).isGreaterThanOrEqualTo(4);
    }
}
