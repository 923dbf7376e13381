package org.ctys.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.ctys.spi.Verdict;
import org.junit.jupiter.api.Test;

/**
 * The one waiting loop, driven as a BMC procedure drives it: on the caller's thread, the waits
 * between tries only counted (a virtual clock), so the schedule itself is what is checked.
 */
class PollLoopTest {
    private static final Duration HALF = Duration.ofMillis(500);

    /** Tries that take no time, and waits that are only recorded. */
    private final List<Duration> waits = new ArrayList<>();

    private CompletableFuture<Void> recordWait(Duration d) {
        waits.add(d);
        return CompletableFuture.completedFuture(null);
    }

    @Test
    void aConditionThatNeverHoldsIsAskedTheGivenNumberOfTimesThenRunsOut() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        List<Integer> told = new ArrayList<>();

        PollLoop.Ended e = new PollLoop(5, Duration.ZERO, HALF, null)
                .run(b -> {
                    asked.incrementAndGet();
                    return CompletableFuture.completedFuture(PollLoop.Try.notYet("on"));
                }, this::recordWait, () -> false, (attempt, last) -> told.add(attempt)).get();

        assertThat(asked).hasValue(5);
        assertThat(told).containsExactly(1, 2, 3, 4);
        assertThat(e.ranOut()).isTrue();
        assertThat(e.attempts()).isEqualTo(5);
        assertThat(e.last().seen()).isEqualTo("on");
    }

    /** A try that starts when the limit has run out (a timer a moment late) is given 1 ms, never 0, which the transports refuse. */
    @Test
    void aTryAtTheLimitIsGivenABoundTheTransportsTake() throws Exception {
        List<Duration> bounds = new ArrayList<>();
        new PollLoop(3, Duration.ZERO, HALF, Duration.ofNanos(1)).run(b -> {
            bounds.add(b);
            return CompletableFuture.completedFuture(PollLoop.Try.notYet("on"));
        }, this::recordWait, () -> false, (a, t) -> {}).get();

        assertThat(bounds).isNotEmpty().allSatisfy(b -> assertThat(b).isGreaterThanOrEqualTo(Duration.ofMillis(1)));
    }

    @Test
    void itEndsAtTheFirstTryThatMeetsTheCondition() throws Exception {
        AtomicInteger asked = new AtomicInteger();

        PollLoop.Ended e = new PollLoop(10, Duration.ZERO, HALF, null)
                .run(b -> CompletableFuture.completedFuture(asked.incrementAndGet() == 3 ? PollLoop.Try.met("off")
                        : PollLoop.Try.notYet("on")), this::recordWait, () -> false, (a, t) -> {}).get();

        assertThat(e.last().met()).isTrue();
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(waits).hasSize(2);
    }

    @Test
    void aFatalAnswerEndsTheWaitAtOnce() throws Exception {
        PollLoop.Ended e = new PollLoop(10, Duration.ZERO, HALF, null)
                .run(b -> CompletableFuture.completedFuture(PollLoop.Try.fatal(Verdict.fail("refused", "host key"))),
                        this::recordWait, () -> false, (a, t) -> {}).get();

        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e.ranOut()).isFalse();
        assertThat(e.last().fatal().message()).isEqualTo("host key");
    }

    @Test
    void toldToStopItAsksNothingMore() throws Exception {
        AtomicInteger asked = new AtomicInteger();

        PollLoop.Ended e = new PollLoop(10, Duration.ZERO, HALF, null)
                .run(b -> CompletableFuture.completedFuture(PollLoop.Try.notYet(null)), this::recordWait,
                        () -> asked.incrementAndGet() > 2, (a, t) -> {}).get();

        assertThat(e.stopped()).isTrue();
        assertThat(asked).hasValue(3);
        assertThat(waits).hasSize(2);
    }

    @Test
    void aFailedTryFailsTheWaitWithItsOwnException() {
        CompletableFuture<PollLoop.Ended> f = new PollLoop(3, Duration.ZERO, HALF, null)
                .run(b -> CompletableFuture.failedFuture(new IllegalStateException("BMC gone")), this::recordWait,
                        () -> false, (a, t) -> {});

        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).hasRootCauseMessage("BMC gone");
    }

    @Test
    void eachTryIsBoundedByWhatIsLeftOfTheLimit() throws Exception {
        List<Duration> bounds = new ArrayList<>();

        new PollLoop(3, Duration.ZERO, Duration.ofHours(1), Duration.ofSeconds(30))
                .run(b -> {
                    bounds.add(b);
                    return CompletableFuture.completedFuture(PollLoop.Try.notYet(null));
                }, this::recordWait, () -> false, (a, t) -> {}).get();

        assertThat(bounds).hasSize(3).allSatisfy(b -> assertThat(b).isLessThanOrEqualTo(Duration.ofSeconds(30)));
    }

    /** Seconds since the wait began. */
    private static final class Clock {
        final long started = System.nanoTime();

        double seconds() { return (System.nanoTime() - started) / 1e9; }
    }

    @Test
    void drivenHereTheLastTryComesAtTheLimitItself() throws Exception {
        Clock clock = new Clock();
        List<Double> at = new ArrayList<>();

        PollLoop.Ended e = new PollLoop(3, Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofMillis(600))
                .runHere(b -> {
                    at.add(clock.seconds());
                    return PollLoop.Try.notYet("on");
                }, () -> false);

        assertThat(e.ranOut()).isTrue();
        assertThat(at).hasSize(3);
        assertThat(at.get(2)).as("the third try starts two intervals after the first").isGreaterThanOrEqualTo(0.4);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    /** What a try throws (a BMC that stopped answering) comes out of the wait as it was thrown. */
    private static final class Gone extends Exception {
        Gone() { super("stopped answering during the session"); }
    }

    @Test
    void drivenHereATrysOwnExceptionComesOutUnwrapped() {
        AtomicInteger asked = new AtomicInteger();

        assertThatThrownBy(() -> new PollLoop(5, Duration.ofMillis(10), Duration.ofMillis(10), null)
                .<Gone>runHere(b -> {
                    if (asked.incrementAndGet() == 2) throw new Gone();
                    return PollLoop.Try.notYet("on");
                }, () -> false)).isInstanceOf(Gone.class).hasMessage("stopped answering during the session");
        assertThat(asked).hasValue(2);
    }

    @Test
    void drivenHereAnInterruptDuringTheSleepEndsTheWaitAsAnInterrupt() {
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> new PollLoop(5, Duration.ofSeconds(10), Duration.ofSeconds(1), null)
                .runHere(b -> PollLoop.Try.notYet("on"), () -> false)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
    }
}
