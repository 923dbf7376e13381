package org.ctys.engine.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ctys.spi.Output;

/**
 * A command on this host, without SSH, as {@code localhost} asks (SPEC §1): {@code sh -c COMMAND},
 * bounded. Its output goes to the streams given as it comes, as a remote command's does; a command
 * that outlives its bound, or whose run is stopped, is stopped with everything it started.
 */
public final class LocalCommand {

    private LocalCommand() {}

    /** Runs the command to its end and says how it ended; the output went to {@code out} and {@code err}. */
    public static Output run(String command, Duration timeout, OutputStream out, OutputStream err) throws Shells.Failure {
        return run(command, timeout, null, out, err);
    }

    /**
     * As {@link #run(String, Duration, OutputStream, OutputStream)}, with {@code input} (null: none, the
     * command reads /dev/null) on the command's standard input, then end of input.
     */
    public static Output run(String command, Duration timeout, byte[] input, OutputStream out, OutputStream err)
            throws Shells.Failure {
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", command);
            if (input == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            p = pb.start();
        } catch (IOException e) {
            throw new Shells.Failure(Shells.Failure.Kind.FAILED, "cannot start sh on this host: " + e.getMessage(), null, false);
        }
        if (input != null) feed(p.getOutputStream(), input);
        CompletableFuture<Void> outDone = drain(p.getInputStream(), out);
        CompletableFuture<Void> errDone = drain(p.getErrorStream(), err);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                Children.stop(p);
                throw new Shells.Failure(Shells.Failure.Kind.TIMEOUT, "the command did not end within "
                        + org.ctys.grammar.Durations.format(timeout) + " and was killed");
            }
            // what the command wrote before it ended is all read (a child it left running may hold
            // the pipes open: that one is not waited for)
            CompletableFuture.allOf(outDone, errDone).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return Output.exitOnly(p.exitValue(), null);
        } catch (InterruptedException e) {
            Children.stop(p);
            Thread.currentThread().interrupt();
            throw new Shells.Failure(Shells.Failure.Kind.FAILED, "interrupted");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return Output.exitOnly(p.exitValue(), null);
        }
    }

    /**
     * Starts {@code command} on this host for as long as the caller listens (a {@link Shells#watch}
     * without SSH): its output goes to {@code out} and {@code err} as it comes; closing the watch
     * closes its input, and whatever of it has not ended a second later is stopped and reaped.
     */
    public static Shells.Watch watch(String command, OutputStream out, OutputStream err) throws Shells.Failure {
        Process p;
        try {
            p = new ProcessBuilder("sh", "-c", command).start();
        } catch (IOException e) {
            throw new Shells.Failure(Shells.Failure.Kind.FAILED, "cannot start sh on this host: " + e.getMessage(), null, false);
        }
        drain(p.getInputStream(), out);
        drain(p.getErrorStream(), err);
        return new Shells.Watch() {
            @Override
            public boolean isOpen() { return p.isAlive(); }

            @Override
            public void close() {
                try {
                    p.getOutputStream().close();
                    if (p.waitFor(1, TimeUnit.SECONDS)) return;
                } catch (IOException e) {
                    // its input is gone already: stop it below
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Children.stop(p);
            }
        };
    }

    /**
     * Writes the input on a thread of its own, so that a command that prints before it reads cannot
     * block both sides; a command that ends without reading it all closes the pipe, which ends the writer.
     */
    private static void feed(OutputStream stdin, byte[] input) {
        Thread t = new Thread(() -> {
            try (stdin) {
                stdin.write(input);
            } catch (IOException e) {
                // the command stopped reading (it ended): what it did not read was not wanted
            }
        }, "ctys-local-input");
        t.setDaemon(true);
        t.start();
    }

    /** Reads a pipe to its end on a thread of its own, so that neither pipe of the command fills up. */
    private static CompletableFuture<Void> drain(InputStream in, OutputStream to) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                in.transferTo(to);
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e instanceof IOException io ? new UncheckedIOException(io) : e);
            }
        }, "ctys-local-output");
        t.setDaemon(true);
        t.start();
        return done;
    }
}
