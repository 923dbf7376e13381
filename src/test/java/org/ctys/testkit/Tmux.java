package org.ctys.testkit;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Real terminals for the interactive tests: a private tmux server (its own socket, named after
 * the test and this JVM) whose detached sessions have a fixed size. A test starts a program in a
 * session (ctys through {@link CtysRunner#terminalScript}), types at it and reads the screen.
 */
public final class Tmux implements AutoCloseable {
    /** How long {@link #await} waits for the screen unless told otherwise. */
    public static final Duration WAIT = Duration.ofSeconds(20);

    private final String tmux;
    private final String socket;

    /** @param name what the tests are, for the socket name: "shell-it" */
    public Tmux(String name) {
        this.tmux = Proc.require("tmux", "tmux");
        this.socket = "ctys-" + name + "-" + ProcessHandle.current().pid();
    }

    /** A detached session of {@code cols} x {@code rows} running {@code command} (through /bin/sh). */
    public void open(String session, int cols, int rows, String command) {
        Proc.ok(tmux, "-L", socket, "new-session", "-d", "-x", Integer.toString(cols), "-y", Integer.toString(rows),
                "-s", session, command);
    }

    /** Types {@code line} literally, then Enter. */
    public void type(String session, String line) {
        send(session, line);
        key(session, "Enter");
    }

    /** Types {@code text} literally, nothing after it. */
    public void send(String session, String text) {
        Proc.ok(tmux, "-L", socket, "send-keys", "-t", session, "-l", text);
    }

    /** Presses a key by its tmux name: "Enter", "C-c". */
    public void key(String session, String key) {
        Proc.ok(tmux, "-L", socket, "send-keys", "-t", session, key);
    }

    /** Resizes the session's window, as a person dragging the terminal's corner. */
    public void resize(String session, int cols, int rows) {
        Proc.ok(tmux, "-L", socket, "resize-window", "-t", session, "-x", Integer.toString(cols), "-y", Integer.toString(rows));
    }

    /** What the session's pane shows now. */
    public String screen(String session) {
        return Proc.ok(tmux, "-L", socket, "capture-pane", "-p", "-t", session).out();
    }

    /** Polls the screen until {@code ready} holds and returns it; fails with what is shown after {@link #WAIT}. */
    public String await(String session, Predicate<String> ready, String what) throws InterruptedException {
        return await(session, ready, what, WAIT);
    }

    public String await(String session, Predicate<String> ready, String what, Duration limit) throws InterruptedException {
        String[] last = {""};
        if (showsWithin(session, s -> ready.test(last[0] = s), limit)) return last[0];
        throw new AssertionError("no " + what + " within " + limit.toSeconds() + " s; the screen:\n" + last[0]);
    }

    /** Whether the screen comes to satisfy {@code ready} within {@code limit}, polled every 100 ms. */
    public boolean showsWithin(String session, Predicate<String> ready, Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        do {
            if (ready.test(screen(session))) return true;
            Thread.sleep(100);
        } while (System.nanoTime() < until);
        return false;
    }

    /** Ends the server and every session on it. */
    @Override
    public void close() {
        Proc.quietly(tmux, "-L", socket, "kill-server");
    }
}
