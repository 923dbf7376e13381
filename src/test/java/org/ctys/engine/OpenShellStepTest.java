package org.ctys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ctys.console.ConsoleLink;
import org.ctys.console.ConsoleSession;
import org.ctys.engine.run.Progress;
import org.ctys.engine.run.Shells;
import org.ctys.exit.ExitStatus;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.OpenShell;
import org.ctys.spi.Output;
import org.ctys.spi.Plan;
import org.ctys.spi.Remote;
import org.ctys.spi.Result;
import org.junit.jupiter.api.Test;

/** An interactive shell as the engine runs it: its status ends the command, nothing is reported or shown. */
class OpenShellStepTest {

    /** A shell that ends with the status its host name says ("exit7"), or fails to start. */
    static final class ShellOnly extends NoInputShells {
        final List<String> opened = new ArrayList<>();
        boolean closed;

        @Override
        public Output exec(Remote remote, String command, Duration timeout) { throw new AssertionError("no exec"); }

        @Override
        public void login(Remote remote, Duration timeout) { throw new AssertionError("no login"); }

        @Override
        public ConsoleLink shell(Remote remote, ConsoleSession.Pty pty) throws Failure {
            opened.add(remote.describe() + " pty=" + pty);
            int status = switch (remote.host()) {
                case "refused" -> throw new Failure(Failure.Kind.REFUSED, "unknown host key for refused");
                case "down" -> throw new Failure(Failure.Kind.FAILED, "connection refused by down:22");
                default -> Integer.parseInt(remote.host().substring("exit".length()));
            };
            return new ConsoleLink() {
                @Override
                public byte[] read() throws java.io.IOException { throw new ConsoleLink.Ended(status); }

                @Override
                public void write(byte[] data, int length) { }
            };
        }



        @Override

        public org.ctys.console.ConsoleLink console(Remote remote, String command, org.ctys.console.ConsoleSession.Pty pty,

                                                    java.time.Duration start) throws Failure {

            throw new Failure(Failure.Kind.FAILED, "no consoles in this stand-in");

        }


        @Override

        public Tunnel forward(Remote remote, String host, int port) throws Failure {

            throw new Failure(Failure.Kind.FAILED, "no forwards in this stand-in");

        }


        @Override
        public void close() { closed = true; }
    }

    private final List<String> shown = new ArrayList<>();
    private final Progress recording = (t, v) -> shown.add(t + ": " + v.state());

    /** Input that is never typed and never ends, as a person who watches; not the test JVM's stdin (the runner's channel). */
    private static java.io.InputStream typing() {
        try {
            return new java.io.PipedInputStream(new java.io.PipedOutputStream());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Report run(ShellOnly shells, String host, GenericOptions options, List<Integer> ended) {
        Engine engine = new Engine(options, recording, (a, p, t) -> false, () -> shells).input(typing());
        Report report = engine.run(new Plan("shell", List.of(host), new OpenShell(host, new Remote(host, "root", null, List.of()), null)));
        if (report.shellExit() != null) ended.add(report.shellExit());
        return report;
    }

    @Test
    void theShellsExitStatusEndsTheCommandAndNothingIsReported() {
        ShellOnly shells = new ShellOnly();
        List<Integer> ended = new ArrayList<>();
        Report report = run(shells, "exit7", GenericOptions.defaults(), ended);
        assertThat(ended).containsExactly(7);
        assertThat(shells.opened).containsExactly("ssh root@exit7 pty=null");
        assertThat(shells.closed).isTrue();
        assertThat(report.results()).isEmpty();
        assertThat(shown).isEmpty();
    }

    @Test
    void aRefusedHostKeyIsStatusThreeAndAnUnreachableHostOne() {
        List<Integer> ended = new ArrayList<>();
        Report refused = run(new ShellOnly(), "refused", GenericOptions.defaults(), ended);
        assertThat(refused.status()).isEqualTo(ExitStatus.CONFIG);
        assertThat(refused.results()).extracting(Result::message).containsExactly("unknown host key for refused");
        Report down = run(new ShellOnly(), "down", GenericOptions.defaults(), ended);
        assertThat(down.status()).isEqualTo(ExitStatus.FAILED);
        assertThat(ended).isEmpty();
    }

    @Test
    void aDryRunOpensNothing() {
        ShellOnly shells = new ShellOnly();
        List<Integer> ended = new ArrayList<>();
        GenericOptions dry = new GenericOptions(null, 64, false, false, null, true, null, false, 0);
        Report report = run(shells, "exit0", dry, ended);
        assertThat(report.dryRun()).isNotNull();
        assertThat(report.dryRun().render()).contains("ssh -t root@exit0");
        assertThat(shells.opened).isEmpty();
        assertThat(ended).isEmpty();
    }

    /** A shell that runs until what carries it is closed, as a remote shell does. */
    static final class Endless extends NoInputShells {
        private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

        @Override
        public Output exec(Remote remote, String command, Duration timeout) { throw new AssertionError("no exec"); }

        @Override
        public void login(Remote remote, Duration timeout) { throw new AssertionError("no login"); }

        @Override
        public ConsoleLink shell(Remote remote, ConsoleSession.Pty pty) {
            return new ConsoleLink() {
                @Override
                public byte[] read() throws java.io.IOException {
                    if (closed.getCount() == 0) throw new java.io.IOException("connection closed");
                    return new byte[0];
                }

                @Override
                public void write(byte[] data, int length) { }
            };
        }



        @Override

        public org.ctys.console.ConsoleLink console(Remote remote, String command, org.ctys.console.ConsoleSession.Pty pty,

                                                    java.time.Duration start) throws Failure {

            throw new Failure(Failure.Kind.FAILED, "no consoles in this stand-in");

        }


        @Override

        public Tunnel forward(Remote remote, String host, int port) throws Failure {

            throw new Failure(Failure.Kind.FAILED, "no forwards in this stand-in");

        }


        @Override
        public void close() { closed.countDown(); }
    }

    @Test
    void theOverallTimeoutClosesAShellAndEndsWith124() {
        GenericOptions bounded = new GenericOptions(null, 64, false, false, Duration.ofMillis(300), false, null, false, 0);
        Engine engine = new Engine(bounded, recording, (a, p, t) -> false, Endless::new).input(typing());
        Report report = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> engine.run(
                new Plan("shell", List.of("lab1"), new OpenShell("lab1", new Remote("lab1", null, null, List.of()), null))));
        assertThat(report.status()).isEqualTo(ExitStatus.TIMEOUT);
        assertThat(report.shellExit()).isNull();
        assertThat(report.results()).singleElement().satisfies(r -> assertThat(r.message()).contains("--timeout"));
    }

    @Test
    void anInterruptClosesAShellAndEndsWith130() {
        Engine engine = new Engine(GenericOptions.defaults(), recording, (a, p, t) -> false, Endless::new).input(typing());
        new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            engine.interrupt();
        }).start();
        Report report = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> engine.run(
                new Plan("shell", List.of("lab1"), new OpenShell("lab1", new Remote("lab1", null, null, List.of()), null))));
        assertThat(report.status()).isEqualTo(ExitStatus.INTERRUPTED);
    }

    @Test
    void aShellOnThisHostIsDescribedWithoutSsh() {
        assertThat(new OpenShell("localhost", null, null).describe()).isEqualTo("$SHELL -i");
    }
}
