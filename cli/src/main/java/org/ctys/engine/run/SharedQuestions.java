package org.ctys.engine.run;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.ctys.spi.Output;
import org.ctys.spi.Remote;

/**
 * The state questions of one run, shared: waits that ask the same command on the same machine
 * within a short time get one answer, from one execution. Eight guests stopping on one host then
 * cost one {@code virsh domstats} per poll interval instead of eight {@code virsh domstate}, on the
 * machine whose CPUs the stopping guests need.
 *
 * <p>An answer is shared only when its question was asked after the asking wait began (so no wait
 * reads a state from before the command it confirms) and at most {@code maxAge} ago; a question
 * still running is joined. Nothing here waits but for an answer under way: the tries themselves
 * are {@link PollLoop}'s.
 */
public final class SharedQuestions {

    /** Runs the question on the caller's thread. */
    @FunctionalInterface
    public interface Asking {
        Output ask() throws Shells.Failure;
    }

    private record Key(Remote remote, String command) {}

    private record Question(long askedAt, CompletableFuture<Output> answer) {}

    private final Map<Key, Question> latest = new HashMap<>();
    private final LongSupplier clock;

    public SharedQuestions() { this(System::nanoTime); }

    SharedQuestions(LongSupplier clock) { this.clock = clock; }

    /**
     * The answer to {@code command} on {@code remote}: one asked since {@code since} (a
     * {@link System#nanoTime} value) and at most {@code maxAge} ago, or else a new one, asked here.
     *
     * @param timeout how long to wait for an answer another wait's question is getting
     */
    public Output ask(Remote remote, String command, long since, Duration maxAge, Duration timeout, Asking asking)
            throws Shells.Failure {
        return answer(remote, command, since, maxAge, timeout, asking).output();
    }

    /** An answer and when its question was asked (a {@link System#nanoTime} value of this clock). */
    public record Answer(Output output, long askedAt) {}

    /**
     * As {@link #ask}, with the time the answer's question was asked: a wait passes it, plus one, as
     * {@code since} of its next try, so that it never takes the same answer twice.
     */
    public Answer answer(Remote remote, String command, long since, Duration maxAge, Duration timeout, Asking asking)
            throws Shells.Failure {
        Key key = new Key(remote, command);
        CompletableFuture<Output> mine;
        Question shared;
        long askedAt;
        synchronized (latest) {
            long now = clock.getAsLong();
            askedAt = now;
            Question q = latest.get(key);
            if (q != null && q.askedAt() - since >= 0 && now - q.askedAt() <= maxAge.toNanos()) {
                shared = q;
                mine = null;
            } else {
                shared = null;
                mine = new CompletableFuture<>();
                latest.put(key, new Question(now, mine));
            }
        }
        if (shared != null) return new Answer(await(shared.answer(), timeout), shared.askedAt());
        try {
            Output out = asking.ask();
            mine.complete(out);
            return new Answer(out, askedAt);
        } catch (Shells.Failure | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private static Output await(CompletableFuture<Output> answer, Duration timeout) throws Shells.Failure {
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Shells.Failure f) throw f;
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new Shells.Failure(Shells.Failure.Kind.TIMEOUT, "no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Shells.Failure(Shells.Failure.Kind.FAILED, "interrupted");
        }
    }
}
