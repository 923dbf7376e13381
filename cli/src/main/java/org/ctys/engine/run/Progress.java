package org.ctys.engine.run;

import java.io.PrintStream;
import org.ctys.spi.ControlChars;
import org.ctys.spi.Verdict;

/**
 * Progress on stderr: one plain line per change when stderr is not a terminal, one line that
 * redraws itself on a terminal, nothing when quiet.
 */
public interface Progress {

    void update(String target, Verdict verdict);

    /** Called once when the run ends, so an animated line can be cleared. */
    default void finish() {}

    static Progress quiet() { return (t, v) -> {}; }

    /**
     * Progress held back while a console is on the terminal (its lines would land in the middle of
     * the console's): each target's latest change is kept, and shown once {@link #release()}d.
     */
    final class Held implements Progress {
        private final Progress to;
        private final java.util.Map<String, Verdict> latest = new java.util.LinkedHashMap<>();
        private boolean released;

        public Held(Progress to) { this.to = to; }

        @Override
        public void update(String target, Verdict verdict) {
            synchronized (this) {
                if (!released) {
                    latest.put(target, verdict);
                    return;
                }
            }
            to.update(target, verdict);
        }

        /** From now on changes are shown; the latest of each target first. */
        public void release() {
            java.util.Map<String, Verdict> held;
            synchronized (this) {
                released = true;
                held = new java.util.LinkedHashMap<>(latest);
                latest.clear();
            }
            held.forEach(to::update);
        }

        @Override
        public void finish() { to.finish(); }
    }

    /** {@code target: state - message}, with what a remote host may have put in it made visible. */
    private static String line(String target, Verdict v) {
        return ControlChars.escape(target) + ": " + ControlChars.escape(v.state()) + " - "
                + ControlChars.escape(v.message());
    }

    /** One line each time a target's state changes (not on every try of a wait). */
    static Progress plain(PrintStream err) {
        java.util.Map<String, String> last = new java.util.HashMap<>();
        return (t, v) -> {
            synchronized (last) {
                if (v.state().equals(last.put(t, v.state()))) return;
                err.println("ctys: " + line(t, v));
            }
        };
    }

    /** Progress for this process's standard error: animated when it is a terminal, plain lines otherwise. */
    static Progress onStandardError(PrintStream err) {
        return StandardError.isTerminal() ? animated(err) : plain(err);
    }

    static Progress animated(PrintStream err) {
        return new Progress() {
            private int updates;
            private int width;
            private boolean finished;

            @Override
            public synchronized void update(String target, Verdict verdict) {
                if (finished) return;
                updates++;
                String spin = "|/-\\".substring(updates % 4, updates % 4 + 1);
                String line = spin + " " + line(target, verdict);
                if (line.length() > 100) line = line.substring(0, 99) + "…";
                err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
                width = line.length();
                err.flush();
            }

            @Override
            public synchronized void finish() {
                finished = true;
                if (width > 0) err.print("\r" + " ".repeat(width) + "\r");
                err.flush();
            }
        };
    }
}
