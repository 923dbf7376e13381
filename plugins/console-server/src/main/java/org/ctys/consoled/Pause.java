package org.ctys.consoled;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The wait of a console between two openings. Tests give one that only records how long it was
 * asked to wait (a fake clock); the daemon's waits on a monitor that {@link #wake} ends early,
 * when the console is closed or its endpoint changed.
 */
interface Pause {

    /** Waits {@code d}, or less once {@code stop} holds after a {@link #wake}. */
    void pause(Duration d, BooleanSupplier stop);

    void wake();

    /** A real wait. */
    static Pause real() {
        return new Pause() {
            private final Object monitor = new Object();

            @Override
            public void pause(Duration d, BooleanSupplier stop) {
                long until = System.nanoTime() + d.toNanos();
                synchronized (monitor) {
                    while (!stop.getAsBoolean()) {
                        long left = until - System.nanoTime();
                        if (left <= 0) return;
                        try {
                            monitor.wait(Math.max(1, left / 1_000_000));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }

            @Override
            public void wake() {
                synchronized (monitor) {
                    monitor.notifyAll();
                }
            }
        };
    }
}
