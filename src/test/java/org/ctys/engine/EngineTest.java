package org.ctys.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.ctys.engine.run.Progress;
import org.ctys.exit.CtysException;
import org.ctys.exit.ExitStatus;
import org.ctys.grammar.Mac;
import org.ctys.inventory.SecretRef;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.MagicPacket;
import org.ctys.spi.MagicPackets;
import org.ctys.spi.Note;
import org.ctys.spi.Plan;
import org.ctys.spi.Probe;
import org.ctys.spi.Result;
import org.ctys.spi.RunCommand;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;
import org.ctys.spi.WaitUntilUp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {

    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final Mac MAC1 = Mac.parse("00:11:22:33:44:55");
    private static final Mac MAC2 = Mac.parse("66:77:88:99:aa:bb");
    private static final String PASSWORD = "01:02:03:04:05:06";

    @TempDir Path dir;

    private DatagramSocket listener;

    @BeforeEach
    void listen() throws IOException {
        listener = new DatagramSocket(null);
        listener.setReceiveBufferSize(1 << 20);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void close() {
        listener.close();
    }

    // ---- helpers ----

    private static GenericOptions options(int parallel, Duration timeout, boolean dryRun) {
        return new GenericOptions(null, parallel, false, false, timeout, dryRun, null, false, 0);
    }

    private Engine engine(GenericOptions options, Engine.Prober prober) {
        return new Engine(options, Progress.quiet(), prober);
    }

    private Engine engine(Engine.Prober prober) {
        return engine(GenericOptions.defaults(), prober);
    }

    private Report run(Engine engine, Plan plan) {
        return assertTimeoutPreemptively(LIMIT, () -> engine.run(plan));
    }

    /** Answers from its n-th call on; 0 means never. Counts calls. */
    private static final class AnswersAfter implements Engine.Prober {
        final int n;
        final AtomicInteger calls = new AtomicInteger();

        AnswersAfter(int n) { this.n = n; }

        @Override
        public boolean answers(String address, int tcpPort, Duration timeout) {
            int c = calls.incrementAndGet();
            return n > 0 && c >= n;
        }
    }

    private static final Engine.Prober NEVER = (a, p, t) -> false;
    private static final Engine.Prober ALWAYS = (a, p, t) -> true;

    private MagicPacket packet(String target, Mac mac, SecretRef secureOn) {
        return new MagicPacket(target, mac, "127.0.0.1", listener.getLocalPort(), null, secureOn,
                Verdict.proceed("sent", "magic packet sent"));
    }

    private static WaitUntilUp waitFor(String target, int tries) {
        return new WaitUntilUp(target, "10.9.8.7", 22, tries, Duration.ofMillis(10), Duration.ofMillis(200));
    }

    private static Probe probe(String target) {
        return new Probe(target, "10.9.8.7", 22, Duration.ofMillis(200),
                Verdict.done("up", "already up; nothing sent"), Verdict.proceed("down", "does not answer; waking it"));
    }

    private static Plan plan(List<String> targets, Step... steps) {
        return new Plan("test plan", targets, new Step.Sequence(List.of(steps)));
    }

    private static Result result(Report report, String target) {
        return report.results().stream().filter(r -> r.target().equals(target)).findFirst().orElseThrow();
    }

    private byte[] receive(int timeoutMillis) throws IOException {
        listener.setSoTimeout(timeoutMillis);
        DatagramPacket p = new DatagramPacket(new byte[512], 512);
        listener.receive(p);
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    private void assertNothingArrives() throws IOException {
        assertThatThrownBy(() -> receive(700)).isInstanceOf(SocketTimeoutException.class);
    }

    private static byte[] magic(Mac mac, byte[] secureOn) {
        int extra = secureOn == null ? 0 : secureOn.length;
        byte[] p = new byte[102 + extra];
        Arrays.fill(p, 0, 6, (byte) 0xFF);
        for (int i = 0; i < 16; i++) System.arraycopy(mac.bytes(), 0, p, 6 + 6 * i, 6);
        if (secureOn != null) System.arraycopy(secureOn, 0, p, 102, extra);
        return p;
    }

    private Path secretFile(String content, String mode) throws IOException {
        Path file = dir.resolve("secureon-" + mode);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    // ---- waiting until up ----

    @Test
    void waitUntilUpSucceedsOnTheTryTheMachineFirstAnswers() {
        AnswersAfter prober = new AnswersAfter(3);
        Report report = run(engine(prober), plan(List.of("pm01"), waitFor("pm01", 5)));

        Result r = result(report, "pm01");
        assertThat(r.status()).isEqualTo(Result.Status.OK);
        assertThat(r.state()).isEqualTo("up");
        assertThat(r.message()).contains("try 3 of 5");
        assertThat(prober.calls).hasValue(3);
        assertThat(report.status()).isEqualTo(ExitStatus.OK);
    }

    @Test
    void aMachineThatNeverAnswersFailsNamingItsAddressAndTheTries() {
        AnswersAfter prober = new AnswersAfter(0);
        Report report = run(engine(prober), plan(List.of("pm01"), waitFor("pm01", 4)));

        Result r = result(report, "pm01");
        assertThat(r.status()).isEqualTo(Result.Status.FAILED);
        assertThat(r.message()).contains("10.9.8.7").contains("4 tries");
        assertThat(prober.calls).hasValue(4);
        assertThat(report.status()).isEqualTo(ExitStatus.FAILED);
        assertThat(report.status().code()).isEqualTo(1);
    }

    @Test
    void aTargetsOwnTimeoutFailsItAloneWithExitStatusOne() {
        Engine.Prober onlyPm02 = (address, port, timeout) -> address.equals("10.9.8.2");
        Plan plan = new Plan("t", List.of("pm01", "pm02"), new Step.Parallel(0, List.of(
                new WaitUntilUp("pm01", "10.9.8.1", 22, 1000, Duration.ofMillis(10), Duration.ofMillis(50)),
                new WaitUntilUp("pm02", "10.9.8.2", 22, 1000, Duration.ofMillis(10), Duration.ofMillis(50)))),
                Map.of("pm01", Duration.ofMillis(300)));
        Report report = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run(engine(onlyPm02), plan));

        Result pm01 = result(report, "pm01");
        assertThat(pm01.status()).isEqualTo(Result.Status.FAILED);
        assertThat(pm01.state()).isEqualTo("timed-out");
        assertThat(pm01.message()).startsWith("its own --timeout of 300ms ran out (last: waiting");
        assertThat(result(report, "pm02").ok()).isTrue();
        assertThat(report.status()).isEqualTo(ExitStatus.FAILED);
    }

    @Test
    void aFailedTargetSkipsItsLaterSteps() {
        Report report = run(engine(NEVER), plan(List.of("pm01"), waitFor("pm01", 2),
                new Note("pm01", Verdict.done("fine", "should not be recorded"), Map.of())));

        assertThat(result(report, "pm01").status()).isEqualTo(Result.Status.FAILED);
        assertThat(result(report, "pm01").state()).isNotEqualTo("fine");
    }

    // ---- probing before sending ----

    @Test
    void aMachineFoundUpIsDoneAndItsPacketIsNotSent() throws IOException {
        Report report = run(engine(ALWAYS), plan(List.of("pm01"), probe("pm01"),
                new MagicPackets(List.of(packet("pm01", MAC1, null)))));

        Result r = result(report, "pm01");
        assertThat(r.status()).isEqualTo(Result.Status.OK);
        assertThat(r.state()).isEqualTo("up");
        assertNothingArrives();
    }

    @Test
    void aMachineFoundDownGetsItsPacket() throws IOException {
        Report report = run(engine(NEVER), plan(List.of("pm01"), probe("pm01"),
                new MagicPackets(List.of(packet("pm01", MAC1, null)))));

        assertThat(receive(5000)).isEqualTo(magic(MAC1, null));
        assertThat(result(report, "pm01").state()).isEqualTo("sent");
        assertThat(result(report, "pm01").status()).isEqualTo(Result.Status.OK);
    }

    @Test
    void onlyTheMachinesFoundDownGetPackets() throws IOException {
        Engine.Prober onlyPm02Up = (address, port, timeout) -> address.equals("10.0.0.2");
        Plan plan = plan(List.of("pm01", "pm02"),
                new Step.Parallel(0, List.of(
                        new Probe("pm01", "10.0.0.1", 22, Duration.ofMillis(200), Verdict.done("up", "up"), Verdict.proceed("down", "down")),
                        new Probe("pm02", "10.0.0.2", 22, Duration.ofMillis(200), Verdict.done("up", "up"), Verdict.proceed("down", "down")))),
                new MagicPackets(List.of(packet("pm01", MAC1, null), packet("pm02", MAC2, null))));

        Report report = run(engine(onlyPm02Up), plan);

        assertThat(receive(5000)).isEqualTo(magic(MAC1, null));
        assertNothingArrives();
        assertThat(result(report, "pm02").state()).isEqualTo("up");
        assertThat(result(report, "pm01").state()).isEqualTo("sent");
    }

    // ---- SecureOn ----

    @Test
    void aSecureOnPasswordFromAPrivateFileFollowsTheMac() throws IOException {
        SecretRef ref = SecretRef.file(secretFile(PASSWORD + "\n", "rw-------"));
        run(engine(NEVER), plan(List.of("pm01"), new MagicPackets(List.of(packet("pm01", MAC1, ref)))));

        byte[] got = receive(5000);
        assertThat(got).hasSize(108).isEqualTo(magic(MAC1, new byte[] {1, 2, 3, 4, 5, 6}));
    }

    @Test
    void aFourByteSecureOnPasswordWrittenLikeAnAddress() throws IOException {
        SecretRef ref = SecretRef.file(secretFile("10.20.30.40\n", "rw-------"));
        run(engine(NEVER), plan(List.of("pm01"), new MagicPackets(List.of(packet("pm01", MAC1, ref)))));

        assertThat(receive(5000)).hasSize(106).isEqualTo(magic(MAC1, new byte[] {10, 20, 30, 40}));
    }

    @Test
    void aSecureOnFileOthersCanReadStopsTheRunBeforeAnythingIsSent() throws IOException {
        SecretRef ref = SecretRef.file(secretFile(PASSWORD + "\n", "rw-r--r--"));
        AnswersAfter prober = new AnswersAfter(1);
        // the good packet comes first: it must not be sent either
        Plan plan = plan(List.of("pm00", "pm01"), probe("pm00"),
                new MagicPackets(List.of(packet("pm00", MAC2, null), packet("pm01", MAC1, ref))));

        assertThatThrownBy(() -> run(engine(prober), plan))
                .isInstanceOfSatisfying(CtysException.class, e -> assertThat(e.status()).isEqualTo(ExitStatus.CONFIG))
                .hasMessageContaining(ref.location())
                .hasMessageNotContaining(PASSWORD)
                .hasMessageNotContaining("01:02");
        assertThat(prober.calls).hasValue(0);
        assertNothingArrives();
    }

    @Test
    void aSecureOnFileThatIsNoPasswordIsAConfigErrorThatDoesNotShowIt() throws IOException {
        SecretRef ref = SecretRef.file(secretFile("hunter2-secret\n", "rw-------"));
        Plan plan = plan(List.of("pm01"), new MagicPackets(List.of(packet("pm01", MAC1, ref))));

        assertThatThrownBy(() -> run(engine(NEVER), plan))
                .isInstanceOfSatisfying(CtysException.class, e -> assertThat(e.status()).isEqualTo(ExitStatus.CONFIG))
                .hasMessageContaining("file:" + ref.location())
                .hasMessageNotContaining("hunter2");
        assertNothingArrives();
    }

    // ---- overall timeout and interrupt ----

    @Test
    void theOverallTimeoutStopsEveryUnfinishedTarget() {
        List<String> targets = List.of("pm01", "pm02", "pm03", "done01");
        Plan plan = new Plan("timeout", targets, new Step.Sequence(List.of(
                new Note("done01", Verdict.done("up", "already up"), Map.of()),
                new Step.Parallel(0, List.of(
                        waitFor("pm01", 1_000_000), waitFor("pm02", 1_000_000), waitFor("pm03", 1_000_000))))));

        Report report = run(engine(options(64, Duration.ofMillis(300), false), NEVER), plan);

        assertThat(report.results()).extracting(Result::target).containsExactlyElementsOf(targets);
        for (String t : List.of("pm01", "pm02", "pm03")) {
            assertThat(result(report, t).status()).as(t).isEqualTo(Result.Status.TIMEOUT);
            assertThat(result(report, t).message()).as(t).contains("--timeout");
        }
        assertThat(result(report, "done01").status()).isEqualTo(Result.Status.OK);
        assertThat(report.status()).isEqualTo(ExitStatus.TIMEOUT);
        assertThat(report.status().code()).isEqualTo(124);
    }

    /** -T runs a plan per type: the overall --timeout bounds them together, and no plan starts after it ran out. */
    @Test
    void theOverallTimeoutBoundsEveryPlanOfTheCommandTogether() {
        Plan first = new Plan("first", List.of("pm01"), waitFor("pm01", 1_000_000));
        Plan second = new Plan("second", List.of("pm02"), waitFor("pm02", 1_000_000));
        Engine engine = engine(options(64, Duration.ofSeconds(1), false), NEVER);

        long start = System.nanoTime();
        List<Report> reports = assertTimeoutPreemptively(LIMIT, () -> engine.runAll(List.of(first, second)));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("one 1 s bound, not one per plan").isLessThan(Duration.ofMillis(1800));
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).status()).isEqualTo(ExitStatus.TIMEOUT);
    }

    @Test
    void theOverallTimeoutAlsoEndsAProbeThatBlocks() {
        CountDownLatch never = new CountDownLatch(1);
        Engine.Prober blocks = (a, p, t) -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        };
        Report report = run(engine(options(64, Duration.ofMillis(300), false), blocks),
                plan(List.of("pm01"), probe("pm01")));

        assertThat(result(report, "pm01").status()).isEqualTo(Result.Status.TIMEOUT);
        assertThat(report.status()).isEqualTo(ExitStatus.TIMEOUT);
    }

    @Test
    void anInterruptStopsTheRunAndStillListsEveryTarget() throws Exception {
        CountDownLatch probing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Engine.Prober blocks = (a, p, t) -> {
            probing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        };
        Engine engine = engine(blocks);
        Plan plan = plan(List.of("pm01", "pm02"),
                new Note("pm02", Verdict.done("up", "already up"), Map.of()),
                waitFor("pm01", 1_000_000));
        Thread interrupter = new Thread(() -> {
            try {
                if (probing.await(15, TimeUnit.SECONDS)) engine.interrupt();
            } catch (InterruptedException ignored) {
                // the test ends anyway
            }
        });
        interrupter.start();
        try {
            Report report = run(engine, plan);

            assertThat(report.status()).isEqualTo(ExitStatus.INTERRUPTED);
            assertThat(report.status().code()).isEqualTo(130);
            assertThat(report.results()).extracting(Result::target).containsExactly("pm01", "pm02");
            assertThat(result(report, "pm01").status()).isEqualTo(Result.Status.INTERRUPTED);
            assertThat(result(report, "pm02").status()).isEqualTo(Result.Status.OK);
        } finally {
            release.countDown();
            interrupter.join(LIMIT.toMillis());
        }
    }

    // ---- bounded fan-out ----

    /** Counts how many calls are in flight at once. */
    private static final class Concurrency implements Engine.Prober {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger max = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public boolean answers(String address, int tcpPort, Duration timeout) {
            int n = now.incrementAndGet();
            max.accumulateAndGet(n, Math::max);
            calls.incrementAndGet();
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                now.decrementAndGet();
            }
            return true;
        }
    }

    private static Plan tenWaits(int bound) {
        List<String> targets = new ArrayList<>();
        List<Step> waits = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            targets.add("pm" + i);
            waits.add(waitFor("pm" + i, 3));
        }
        return new Plan("ten", targets, new Step.Parallel(bound, waits));
    }

    @Test
    void theBoundOfAParallelStepIsRespected() {
        Concurrency prober = new Concurrency();
        Report report = run(engine(options(64, null, false), prober), tenWaits(3));

        assertThat(prober.calls).hasValue(10);
        assertThat(prober.max.get()).isBetween(1, 3);
        assertThat(report.status()).isEqualTo(ExitStatus.OK);
        assertThat(report.results()).hasSize(10).allMatch(Result::ok);
    }

    @Test
    void theParallelOptionBoundsAnUnboundedParallelStep() {
        Concurrency prober = new Concurrency();
        Report report = run(engine(options(3, null, false), prober), tenWaits(0));

        assertThat(prober.calls).hasValue(10);
        assertThat(prober.max.get()).isBetween(1, 3);
        assertThat(report.results()).hasSize(10).allMatch(Result::ok);
    }

    @Test
    void sequentialWorksOnOneTargetAtATime() {
        Concurrency prober = new Concurrency();
        GenericOptions seq = new GenericOptions(null, 64, true, false, null, false, null, false, 0);
        run(engine(seq, prober), tenWaits(5));

        assertThat(prober.calls).hasValue(10);
        assertThat(prober.max).hasValue(1);
    }

    // ---- large plans ----

    @Test
    void aListOfTenThousandMachinesCompletes() {
        List<String> targets = new ArrayList<>();
        List<Step> notes = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            targets.add("m" + i);
            notes.add(new Note("m" + i, Verdict.done("known", "known"), Map.of()));
        }
        Report report = run(engine(NEVER), new Plan("list", targets, new Step.Sequence(notes)));

        assertThat(report.results()).hasSize(10_000).allMatch(Result::ok);
    }

    @Test
    void wakingTenThousandMachinesThatAreAllUpCompletes() {
        List<String> targets = new ArrayList<>();
        List<Step> probes = new ArrayList<>();
        List<MagicPacket> packets = new ArrayList<>();
        List<Step> waits = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            targets.add("m" + i);
            probes.add(probe("m" + i));
            packets.add(packet("m" + i, MAC1, null));
            waits.add(waitFor("m" + i, 3));
        }
        Plan plan = new Plan("create", targets, new Step.Sequence(List.of(
                new Step.Parallel(0, probes), new MagicPackets(packets), new Step.Parallel(0, waits))));

        Report report = run(engine(ALWAYS), plan);

        assertThat(report.results()).hasSize(10_000).allMatch(r -> r.ok() && r.state().equals("up"));
    }

    // ---- dry run, pause, notes ----

    @Test
    void aDryRunReturnsThePlanAndSendsNothing() throws IOException {
        AnswersAfter prober = new AnswersAfter(1);
        Plan plan = plan(List.of("pm01"), probe("pm01"),
                new MagicPackets(List.of(packet("pm01", MAC1, null))), waitFor("pm01", 3));

        Report report = run(engine(options(64, null, true), prober), plan);

        assertThat(report.dryRun()).isSameAs(plan);
        assertThat(report.results()).isEmpty();
        assertThat(prober.calls).hasValue(0);
        assertThat(report.status()).isEqualTo(ExitStatus.OK);
        assertNothingArrives();
    }

    @Test
    void theWolDelayIsWaitedAfterSendingAndTheStepsAfterItRun() throws IOException {
        MagicPackets send = new MagicPackets(List.of(packet("pm01", MAC1, null)), Duration.ofMillis(150));
        Report report = run(engine(NEVER), plan(List.of("pm01"), send,
                new Note("pm01", Verdict.done("sent", "after the delay"), Map.of())));

        assertThat(receive(5000)).isEqualTo(magic(MAC1, null));
        assertThat(result(report, "pm01").message()).isEqualTo("after the delay");
        assertThat(report.status()).isEqualTo(ExitStatus.OK);
    }

    @Test
    void theWolDelayIsNotWaitedWhenNothingWasSent() {
        Probe up = new Probe("pm01", "10.0.0.1", 22, Duration.ofMillis(200), Verdict.done("up", "already up"),
                Verdict.proceed("down", "down"));
        MagicPackets send = new MagicPackets(List.of(packet("pm01", MAC1, null)), Duration.ofHours(1));
        Report report = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> run(engine(ALWAYS), plan(List.of("pm01"), up, send)));

        assertThat(result(report, "pm01").message()).isEqualTo("already up");
        assertThat(report.status()).isEqualTo(ExitStatus.OK);
    }

    @Test
    void anInterruptDuringTheWolDelayStillEndsWith130() throws Exception {
        Engine engine = engine(NEVER);
        Note done = new Note("pm01", Verdict.done("sent", "sent, not confirmed"), Map.of());
        Plan plan = plan(List.of("pm01"), done, new MagicPackets(List.of(packet("pm02", MAC1, null)), Duration.ofHours(1)));
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            engine.interrupt();
        });
        stopper.start();
        Report report = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run(engine, plan));
        assertThat(result(report, "pm01").ok()).isTrue();
        assertThat(report.status()).isEqualTo(ExitStatus.INTERRUPTED);
    }

    @Test
    void aCommandStoppedWhileItRunsIsReportedAsRunningNotAsPlanned() {
        // on this host, without SSH: the engine's own path for a command, stopped by the overall bound
        Plan plan = plan(List.of("localhost"), new RunCommand("localhost", null, "sleep 30", Duration.ofMinutes(1)));
        Report report = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> run(engine(options(64, Duration.ofMillis(500), false), NEVER), plan));

        assertThat(result(report, "localhost").status()).isEqualTo(Result.Status.TIMEOUT);
        assertThat(result(report, "localhost").message()).contains("(last: running: sh -c 'sleep 30')")
                .doesNotContain("nothing done yet");
    }

    @Test
    void aFailedCommandIsReportedWithTheReasonFromItsErrorLinesNotOnlyTheFirst() {
        // virsh's way: the first line names the failure, the next one says why
        String command = "printf 'error: Failed to shutdown domain x\\n\\nerror: Cannot open init control\\n"
                + "three\\nfour\\n' >&2; exit 1";
        Plan plan = plan(List.of("localhost"), new RunCommand("localhost", null, command, Duration.ofMinutes(1)));
        Report report = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run(engine(NEVER), plan));
        assertThat(result(report, "localhost").message())
                .isEqualTo("exit 1: error: Failed to shutdown domain x | error: Cannot open init control | three | ...");
    }

    @Test
    void theOverallTimeoutDuringTheWolDelayStillEndsWith124() {
        Plan plan = plan(List.of("pm01"), new MagicPackets(List.of(packet("pm01", MAC1, null)), Duration.ofHours(1)));
        MagicPackets last = (MagicPackets) ((Step.Sequence) plan.root()).steps().get(0);
        assertThat(last.delayAfter()).isEqualTo(Duration.ofHours(1));
        Report report = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> run(engine(options(64, Duration.ofMillis(300), false), NEVER), plan));
        assertThat(report.status()).isEqualTo(ExitStatus.TIMEOUT);
    }

    @Test
    void aWaitEndsWhenItsLimitRunsOutEvenWithTriesLeft() {
        WaitUntilUp w = new WaitUntilUp("pm01", "10.9.8.7", 22, 1000, Duration.ofMillis(50), Duration.ofMillis(20),
                Duration.ofMillis(300));
        Report report = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run(engine(NEVER), plan(List.of("pm01"), w)));
        Result r = result(report, "pm01");
        assertThat(r.status()).isEqualTo(Result.Status.FAILED);
        assertThat(r.state()).isEqualTo("no-answer");
        assertThat(r.message()).doesNotContain("1000 tries");
    }

    @Test
    void aProberThatHangsCountsAsSilenceAfterItsTimeout() {
        Engine.Prober hangs = (a, p, t) -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        };
        Report report = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run(engine(hangs),
                plan(List.of("pm01"), new WaitUntilUp("pm01", "10.9.8.7", 22, 2, Duration.ofMillis(100), Duration.ofMillis(100)))));
        assertThat(result(report, "pm01").state()).isEqualTo("no-answer");
    }

    @Test
    void aNoteRecordsItsVerdictAndFields() {
        Report report = run(engine(NEVER), plan(List.of("pm01", "pm02"),
                new Note("pm01", Verdict.done("known", "known"), Map.of("host", "10.0.0.1")),
                new Note("pm02", Verdict.fail("unknown", "not in the inventory"), Map.of())));

        assertThat(result(report, "pm01").fields()).containsEntry("host", "10.0.0.1");
        assertThat(result(report, "pm02").status()).isEqualTo(Result.Status.FAILED);
        assertThat(report.status()).isEqualTo(ExitStatus.FAILED);
    }

    @Test
    void progressHearsOfEveryChange() {
        List<String> heard = new ArrayList<>();
        AtomicReference<Boolean> finished = new AtomicReference<>(false);
        Progress progress = new Progress() {
            @Override
            public synchronized void update(String target, Verdict verdict) { heard.add(target + ":" + verdict.state()); }

            @Override
            public void finish() { finished.set(true); }
        };
        Engine engine = new Engine(GenericOptions.defaults(), progress, new AnswersAfter(2));
        run(engine, plan(List.of("pm01"), waitFor("pm01", 3)));

        assertThat(heard).containsExactly("pm01:waiting", "pm01:up");
        assertThat(finished.get()).isTrue();
    }

    @Test
    void theWorstResultDecidesTheExitStatus() {
        Result ok = new Result("a", Result.Status.OK, "up", "", Duration.ZERO, Map.of());
        Result failed = new Result("b", Result.Status.FAILED, "down", "", Duration.ZERO, Map.of());
        Result timeout = new Result("c", Result.Status.TIMEOUT, "timed-out", "", Duration.ZERO, Map.of());
        Result interrupted = new Result("d", Result.Status.INTERRUPTED, "interrupted", "", Duration.ZERO, Map.of());

        assertThat(Report.statusOf(List.of())).isEqualTo(ExitStatus.OK);
        assertThat(Report.statusOf(List.of(ok))).isEqualTo(ExitStatus.OK);
        assertThat(Report.statusOf(List.of(ok, failed))).isEqualTo(ExitStatus.FAILED);
        assertThat(Report.statusOf(List.of(failed, timeout))).isEqualTo(ExitStatus.TIMEOUT);
        assertThat(Report.statusOf(List.of(timeout, interrupted, failed))).isEqualTo(ExitStatus.INTERRUPTED);
    }
}
