package org.ctys.transport.ssh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What waits for a client: written by the giver when nothing is on its way, never waiting for the client. */
class OutputQueueTest {

    /** A sink whose writes complete when the test says so: what it was given, by which thread. */
    private static final class HeldSink implements OutputQueue.Sink {
        record Write(String data, String thread, Consumer<Throwable> done) {}

        final LinkedBlockingQueue<Write> writes = new LinkedBlockingQueue<>();

        @Override
        public void write(byte[] data, Consumer<Throwable> done) {
            writes.add(new Write(new String(data, StandardCharsets.US_ASCII), Thread.currentThread().getName(), done));
        }

        Write next() throws InterruptedException {
            Write w = writes.poll(5, TimeUnit.SECONDS);
            assertThat(w).as("a write").isNotNull();
            return w;
        }
    }

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    @Test
    void theGiverWritesWhenNothingIsOnItsWayAndWhatCameMeanwhileGoesTogetherInOrderOnCompletion() throws Exception {
        HeldSink sink = new HeldSink();
        OutputQueue q = new OutputQueue(sink, Duration.ofMinutes(1), e -> { }, d -> { });
        OutputQueue.Backlog live = new OutputQueue.Backlog();

        assertThat(q.send(b("one "), live)).isTrue();
        HeldSink.Write first = sink.next();
        assertThat(first.data()).isEqualTo("one ");
        assertThat(first.thread()).as("no hand-over: the giver's own thread wrote").isEqualTo(Thread.currentThread().getName());

        // the client has not taken it: the next ones wait, and the giver never does
        assertThat(q.send(b("two "), live)).isTrue();
        assertThat(q.send(b("three"), null)).isTrue();
        assertThat(sink.writes).isEmpty();
        assertThat(live.bytes()).isEqualTo(8);
        assertThat(q.unsent()).isEqualTo(13);

        // the completion arrives on another thread (MINA's): it writes what waited, in one write
        Thread mina = new Thread(() -> first.done().accept(null), "mina-nio2");
        mina.start();
        mina.join();
        HeldSink.Write second = sink.next();
        assertThat(second.data()).isEqualTo("two three");
        assertThat(second.thread()).isEqualTo("mina-nio2");
        assertThat(live.bytes()).isEqualTo(4);
        second.done().accept(null);
        assertThat(live.bytes()).isZero();
        assertThat(q.unsent()).isZero();

        // idle again: the next giver writes itself
        q.send(b("four"), live);
        assertThat(sink.next().thread()).isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void aSinkThatCompletesAtOnceTakesEverythingInOrderWithoutRecursion() {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        AtomicInteger depth = new AtomicInteger();
        AtomicInteger deepest = new AtomicInteger();
        OutputQueue[] q = new OutputQueue[1];
        q[0] = new OutputQueue((data, done) -> {
            deepest.accumulateAndGet(depth.incrementAndGet(), Math::max);
            got.writeBytes(data);
            done.accept(null);
            depth.decrementAndGet();
        }, Duration.ofMinutes(1), e -> { }, d -> { });
        for (int i = 0; i < 10_000; i++) q[0].send(b(i + ","), null);
        assertThat(got.toString(StandardCharsets.US_ASCII)).startsWith("0,1,2,3,").endsWith(",9998,9999,");
        assertThat(deepest.get()).isEqualTo(1);
        assertThat(q[0].unsent()).isZero();
    }

    @Test
    void aFailedWriteIsToldOnceDropsWhatWaitsAndRefusesWhatComesLater() throws Exception {
        HeldSink sink = new HeldSink();
        List<Throwable> told = new CopyOnWriteArrayList<>();
        OutputQueue q = new OutputQueue(sink, Duration.ofMinutes(1), told::add, d -> { });
        OutputQueue.Backlog live = new OutputQueue.Backlog();
        q.send(b("a"), live);
        q.send(b("bb"), live);
        IOException gone = new IOException("Channel closing");
        sink.next().done().accept(gone);

        assertThat(told).containsExactly(gone);
        assertThat(q.failed()).isTrue();
        assertThat(live.bytes()).isZero();
        assertThat(q.unsent()).isZero();
        assertThat(q.send(b("c"), live)).isFalse();
        assertThat(sink.writes).isEmpty();
        assertThatThrownBy(() -> q.blocking().write(1))
                .isInstanceOf(IOException.class).hasMessage("the session's output has ended: Channel closing");
    }

    @Test
    void discardDropsWhatWaitsNotWhatIsOnItsWay() throws Exception {
        HeldSink sink = new HeldSink();
        OutputQueue q = new OutputQueue(sink, Duration.ofMinutes(1), e -> { }, d -> { });
        OutputQueue.Backlog live = new OutputQueue.Backlog();
        q.send(b("on its way"), live);
        q.send(b("waits"), live);
        q.discard();
        assertThat(live.bytes()).isEqualTo(10);
        q.send(b("after"), live);
        sink.next().done().accept(null);
        assertThat(sink.next().data()).isEqualTo("after");
    }

    @Test
    void aBlockingWriteReturnsWhileLittleIsUnsentFlushWaitsForAllAndAStalledClientIsDropped() throws Exception {
        HeldSink sink = new HeldSink();
        CompletableFuture<Duration> stalled = new CompletableFuture<>();
        OutputQueue q = new OutputQueue(sink, Duration.ofMillis(1000), e -> { }, stalled::complete);
        OutputStream out = q.blocking();

        out.write(b("small")); // on its way, under the bound: returns
        CompletableFuture<Void> flushed = CompletableFuture.runAsync(() -> {
            try {
                out.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        HeldSink.Write w = sink.next();
        Thread.sleep(100);
        assertThat(flushed).as("flush waits for the client").isNotDone();
        w.done().accept(null);
        flushed.get(5, TimeUnit.SECONDS);

        // a client that takes nothing: a write past the bound waits the stall limit, then the session is dropped
        long began = System.nanoTime();
        assertThatThrownBy(() -> out.write(new byte[OutputQueue.BLOCKING_UNSENT + 1]))
                .isInstanceOf(IOException.class).hasMessage("the client read nothing for 1 s; its session was dropped");
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
        assertThat(stalled).isCompletedWithValue(Duration.ofMillis(1000));
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
    }

    @Test
    void aClientThatTakesSlowlyButSteadilyIsNotDropped() throws Exception {
        HeldSink sink = new HeldSink();
        CompletableFuture<Duration> stalled = new CompletableFuture<>();
        OutputQueue q = new OutputQueue(sink, Duration.ofMillis(1000), e -> { }, stalled::complete);
        OutputStream out = q.blocking();
        // each piece is taken after 300 ms: the whole takes longer than the stall limit, each wait does not
        Thread client = new Thread(() -> {
            try {
                while (true) {
                    HeldSink.Write w = sink.writes.poll(2, TimeUnit.SECONDS);
                    if (w == null) return;
                    Thread.sleep(300);
                    w.done().accept(null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        client.start();
        for (int i = 0; i < 6; i++) out.write(new byte[OutputQueue.BLOCKING_UNSENT]);
        out.flush();
        assertThat(stalled).isNotDone();
        client.join();
    }

    @Test
    void aGiverFindsAClientThatTookNothingForTheStallLimitDroppedAndIsToldSo() throws Exception {
        HeldSink sink = new HeldSink();
        CompletableFuture<Duration> stalled = new CompletableFuture<>();
        OutputQueue q = new OutputQueue(sink, Duration.ofMillis(1000), e -> { }, stalled::complete);
        OutputQueue.Backlog live = new OutputQueue.Backlog();
        assertThat(q.send(b("taken by nobody"), live)).isTrue();
        Thread.sleep(300);
        assertThat(q.send(b("waits"), live)).as("within the limit").isTrue();
        assertThat(stalled).isNotDone();
        Thread.sleep(800);
        assertThat(q.send(b("too late"), live)).as("past it").isFalse();
        assertThat(stalled).isCompletedWithValue(Duration.ofMillis(1000));
        assertThat(q.failed()).isTrue();
        assertThatThrownBy(() -> q.blocking().flush()).isInstanceOf(IOException.class)
                .hasMessage("the client read nothing for 1 s; its session was dropped");
    }

    @Test
    void aLargeChunkGoesInSlicesSoThatASlowClientTakingItShowsProgress() throws Exception {
        HeldSink sink = new HeldSink();
        CompletableFuture<Duration> stalled = new CompletableFuture<>();
        OutputQueue q = new OutputQueue(sink, Duration.ofMillis(1000), e -> { }, stalled::complete);
        OutputQueue.Backlog replies = new OutputQueue.Backlog();
        byte[] replay = new byte[10 * OutputQueue.BATCH_BYTES + 7];
        for (int i = 0; i < replay.length; i++) replay[i] = (byte) ('a' + i % 26);
        q.send(replay, replies);
        q.send(b("after"), null);
        // a client that takes 32 KiB every 250 ms: the whole takes longer than the stall limit, each slice does not
        StringBuilder got = new StringBuilder();
        while (got.length() < replay.length + 5) {
            HeldSink.Write w = sink.next();
            assertThat(w.data().length()).isLessThanOrEqualTo(OutputQueue.BATCH_BYTES);
            got.append(w.data());
            Thread.sleep(250);
            assertThat(q.send(new byte[0], null)).as("not taken for a client that reads nothing").isTrue();
            w.done().accept(null);
        }
        assertThat(got.toString()).isEqualTo(new String(replay, StandardCharsets.US_ASCII) + "after");
        assertThat(stalled).isNotDone();
        assertThat(replies.bytes()).isZero();
        assertThat(q.unsent()).isZero();
    }
}
