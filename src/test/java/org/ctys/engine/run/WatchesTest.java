package org.ctys.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WatchesTest {

    @Test
    void aWatchLeftBeforeItStartedIsNeverStartedAndOneStartedIsEndedOnce() {
        List<Runnable> queued = new CopyOnWriteArrayList<>();
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        Watches watches = new Watches((remote, command, out, err) -> {
            opened.incrementAndGet();
            return new Shells.Watch() {
                @Override
                public boolean isOpen() { return true; }

                @Override
                public void close() { closed.incrementAndGet(); }
            };
        }, queued::add);

        // left before its start ran
        watches.listen(null, "a", line -> {}).close();
        queued.forEach(Runnable::run);
        queued.clear();
        assertThat(opened.get()).isZero();

        // two listeners, one start; the second to leave ends it; closing the run ends nothing twice
        Watches.Listening one = watches.listen(null, "b", line -> {});
        Watches.Listening two = watches.listen(null, "b", line -> {});
        queued.forEach(Runnable::run);
        queued.clear();
        assertThat(opened.get()).isEqualTo(1);
        one.close();
        queued.forEach(Runnable::run);
        assertThat(closed.get()).isZero();
        two.close();
        queued.forEach(Runnable::run);
        watches.close();
        assertThat(closed.get()).isEqualTo(1);
    }

    /** Closing the run's watches closes them together: ten hosts that each take 1 s to confirm cost 1 s, not 10. */
    @Test
    void theRunsWatchesAreClosedTogetherWithinOneGrace() {
        List<Runnable> queued = new CopyOnWriteArrayList<>();
        AtomicInteger closed = new AtomicInteger();
        Watches watches = new Watches((remote, command, out, err) -> new Shells.Watch() {
            @Override
            public boolean isOpen() { return true; }

            @Override
            public void close() {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                closed.incrementAndGet();
            }
        }, queued::add);
        for (int i = 0; i < 10; i++) watches.listen(null, "host" + i, line -> {});
        queued.forEach(Runnable::run);

        long start = System.nanoTime();
        watches.close();
        long took = (System.nanoTime() - start) / 1_000_000;

        assertThat(took).isBetween(900L, 3_500L);
        assertThat(closed.get()).isEqualTo(10);
    }
}
