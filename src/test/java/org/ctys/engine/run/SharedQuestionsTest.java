package org.ctys.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ctys.spi.Output;
import org.ctys.spi.Remote;
import org.junit.jupiter.api.Test;

class SharedQuestionsTest {
    private static final Remote LAB01 = new Remote("lab01", "root", null, List.of());
    private static final Remote LAB02 = new Remote("lab02", "root", null, List.of());
    private static final Duration AGE = Duration.ofMillis(100);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SharedQuestions questions = new SharedQuestions(now::get);
    private final AtomicInteger asked = new AtomicInteger();

    private Output answer() {
        return new Output(("answer " + asked.incrementAndGet()).getBytes(StandardCharsets.UTF_8), new byte[0], 0, null);
    }

    private String ask(Remote r, String command, long since) throws Shells.Failure {
        return new String(questions.ask(r, command, since, AGE, WAIT, this::answer).stdout(), StandardCharsets.UTF_8);
    }

    private long ms(long n) { return n * 1_000_000L; }

    @Test
    void theSameQuestionAskedSoonAfterGetsTheSameAnswerFromOneExecution() throws Exception {
        long began = now.get();
        assertThat(ask(LAB01, "states", began)).isEqualTo("answer 1");
        now.addAndGet(ms(60));
        assertThat(ask(LAB01, "states", began)).isEqualTo("answer 1");
        now.addAndGet(ms(40));
        assertThat(ask(LAB01, "states", began)).as("100 ms old is still young enough").isEqualTo("answer 1");
        now.addAndGet(ms(1));
        assertThat(ask(LAB01, "states", began)).as("older than the age allowed").isEqualTo("answer 2");
        assertThat(asked).hasValue(2);
    }

    @Test
    void aWaitNeverReadsAnAnswerAskedBeforeItBegan() throws Exception {
        assertThat(ask(LAB01, "states", now.get())).isEqualTo("answer 1");
        now.addAndGet(ms(10));
        // this wait began after the question: the state may be from before its own command (a shutdown)
        assertThat(ask(LAB01, "states", now.get())).isEqualTo("answer 2");
    }

    @Test
    void aWaitThatPassesOnWhenItsAnswerWasAskedNeverTakesThatAnswerAgain() throws Exception {
        SharedQuestions.Answer first = questions.answer(LAB01, "states", now.get(), AGE, WAIT, this::answer);
        now.addAndGet(ms(10));
        // another wait, begun before, shares it
        assertThat(ask(LAB01, "states", first.askedAt() - ms(5))).isEqualTo("answer 1");
        // the same wait's next try, soon after (a late first try), asks anew
        SharedQuestions.Answer next = questions.answer(LAB01, "states", first.askedAt() + 1, AGE, WAIT, this::answer);
        assertThat(new String(next.output().stdout(), StandardCharsets.UTF_8)).isEqualTo("answer 2");
        assertThat(next.askedAt()).isGreaterThan(first.askedAt());
    }

    @Test
    void anotherCommandOrAnotherMachineIsAnotherQuestion() throws Exception {
        long began = now.get();
        assertThat(ask(LAB01, "states", began)).isEqualTo("answer 1");
        assertThat(ask(LAB02, "states", began)).isEqualTo("answer 2");
        assertThat(ask(LAB01, "state web1", began)).isEqualTo("answer 3");
        assertThat(ask(null, "states", began)).isEqualTo("answer 4");
        assertThat(ask(LAB01, "states", began)).isEqualTo("answer 1");
    }

    @Test
    void aQuestionUnderWayIsJoinedAndItsFailureIsEveryAskersFailure() throws Exception {
        long began = now.get();
        CountDownLatch asking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Output> first = CompletableFuture.supplyAsync(() -> {
            try {
                return questions.ask(LAB01, "states", began, AGE, WAIT, () -> {
                    asking.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    throw new Shells.Failure(Shells.Failure.Kind.FAILED, "connection lost");
                });
            } catch (Shells.Failure f) {
                throw new java.util.concurrent.CompletionException(f);
            }
        });
        assertThat(asking.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> {
            try {
                return ask(LAB01, "states", began);
            } catch (Shells.Failure f) {
                return "failed: " + f.getMessage();
            }
        });
        release.countDown();
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("failed: connection lost");
        assertThat(first).failsWithin(Duration.ofSeconds(5));
        assertThat(asked).as("the joiner did not ask itself").hasValue(0);
    }

    @Test
    void aJoinerWaitsNoLongerThanItsOwnBound() throws Exception {
        long began = now.get();
        CountDownLatch asking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Output> first = CompletableFuture.supplyAsync(() -> {
            try {
                return questions.ask(LAB01, "states", began, AGE, WAIT, () -> {
                    asking.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return answer();
                });
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        assertThat(asking.await(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> questions.ask(LAB01, "states", began, AGE, Duration.ofMillis(50), this::answer))
                .isInstanceOf(Shells.Failure.class).hasMessageContaining("no answer within 50 ms");
        release.countDown();
        first.get(5, TimeUnit.SECONDS);
    }
}
