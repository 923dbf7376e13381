package org.ctys.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ctys.spi.Output;

/** A command on this host, without SSH, as {@code localhost} asks (SPEC §1): {@code sh -c COMMAND}, bounded. */
final class LocalCommand {

    private LocalCommand() {}

    static Output run(String command, Duration timeout) throws Shells.Failure {
        Process p;
        try {
            p = new ProcessBuilder("sh", "-c", command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new Shells.Failure(Shells.Failure.Kind.FAILED, "cannot start sh on this host: " + e.getMessage());
        }
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new Shells.Failure(Shells.Failure.Kind.TIMEOUT, "the command did not end within "
                        + org.ctys.grammar.Durations.format(timeout) + " and was killed");
            }
            return new Output(out.join(), err.join(), p.exitValue(), null);
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new Shells.Failure(Shells.Failure.Kind.FAILED, "interrupted");
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in; ByteArrayOutputStream b = new ByteArrayOutputStream()) {
                in.transferTo(b);
                return b.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
