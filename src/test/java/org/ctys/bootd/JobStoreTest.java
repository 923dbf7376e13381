package org.ctys.bootd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobStoreTest {
    @TempDir Path dir;

    private static final byte[] SCRIPT = "echo secret-script-body\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void aPxeJobKeepsTheScriptAndTheRawTokenPrivateAndOnlyTheTokensHashInJobJson() throws Exception {
        Spool s = new Spool(dir);
        JobStore.Created c = s.store.add("lab07", "52:54:00:12:34:56", Job.Via.PXE, Duration.ofMinutes(10), false, SCRIPT);

        assertThat(c.job().id).matches(JobStore.ID.pattern());
        assertThat(c.job().expires).isEqualTo(s.clock.instant().plus(Duration.ofMinutes(10)));
        Path d = s.store.dir(c.job().id);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).isEqualTo("rwx------");
        for (String f : List.of("script", "pxe-token", "job.json")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d.resolve(f)))).as(f).isEqualTo("rw-------");
        }
        assertThat(Files.readAllBytes(d.resolve("script"))).isEqualTo(SCRIPT);
        assertThat(s.read(d.resolve("pxe-token"))).isEqualTo(c.token());
        String json = s.read(d.resolve("job.json"));
        assertThat(json).doesNotContain(c.token()).contains("\"tokenSha256\":\"" + Token.sha256(c.token()) + "\"")
                .contains("\"state\":\"pending\"").contains("\"machine\":\"lab07\"");
        assertThat(s.mediaWritten).as("a PXE job writes no CD image").isEmpty();
    }

    @Test
    void aCdJobPutsItsTicketWithKeepInTheMachinesImageAndNoPxeToken() throws Exception {
        Spool s = new Spool(dir);
        JobStore.Created c = s.store.add("lab08", "52:54:00:00:00:08", Job.Via.CDROM, Duration.ofMinutes(5), true, SCRIPT);

        assertThat(s.store.pxeToken(c.job().id)).doesNotExist();
        Path iso = s.store.iso("lab08");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(iso))).isEqualTo("rw-------");
        assertThat(s.read(iso)).isEqualTo("url=https://boot.example:8443\naddr=10.0.2.2\njob=" + c.job().id
                + "\nmac=52:54:00:00:00:08\ntoken=" + c.token() + "\nkeep=1\n");
    }

    @Test
    void aSecondJobForAMachineOrItsMacIsRefusedWhileTheFirstIsOpen() throws Exception {
        Spool s = new Spool(dir);
        JobStore.Created first = s.store.add("lab07", "52:54:00:12:34:56", Job.Via.PXE, Duration.ofMinutes(1), false, SCRIPT);

        assertThatThrownBy(() -> s.store.add("lab07", "52:54:00:99:99:99", Job.Via.PXE, Duration.ofMinutes(1), false, SCRIPT))
                .isInstanceOf(JobStore.Refused.class).hasMessageContaining("has job " + first.job().id + " pending");
        assertThatThrownBy(() -> s.store.add("other", "52:54:00:12:34:56", Job.Via.PXE, Duration.ofMinutes(1), false, SCRIPT))
                .isInstanceOf(JobStore.Refused.class);

        s.clock.advance(Duration.ofMinutes(2));
        assertThat(s.store.add("lab07", "52:54:00:12:34:56", Job.Via.PXE, Duration.ofMinutes(1), false, SCRIPT).job().id)
                .as("once the first has expired").isNotEqualTo(first.job().id);
    }

    @Test
    void aJobNotFetchedByItsExpiryIsExpiredWhenReadAndItsPxeTokenAndCdTicketAreGone() throws Exception {
        Spool s = new Spool(dir);
        JobStore.Created pxe = s.store.add("lab07", "52:54:00:12:34:56", Job.Via.PXE, Duration.ofSeconds(30), false, SCRIPT);
        JobStore.Created cd = s.store.add("lab08", "52:54:00:00:00:08", Job.Via.CDROM, Duration.ofSeconds(30), false, SCRIPT);

        s.clock.advance(Duration.ofSeconds(29));
        assertThat(s.store.read(pxe.job().id).orElseThrow().state).isEqualTo(Job.State.PENDING);
        s.clock.advance(Duration.ofSeconds(1));
        List<Job> jobs = s.store.list();

        assertThat(jobs).extracting(j -> j.state).containsExactly(Job.State.EXPIRED, Job.State.EXPIRED);
        assertThat(jobs.get(0).events).extracting(Job.Event::kind).containsExactly("added", "expired");
        assertThat(s.store.pxeToken(pxe.job().id)).doesNotExist();
        assertThat(s.read(s.store.iso("lab08"))).isEqualTo("no job\n").doesNotContain(cd.token());
        assertThat(s.mediaWritten).containsExactly(Optional.of(s.store.ticket(cd.job(), cd.token())), Optional.empty());
    }

    @Test
    void manyAddsAtOnceEachGetTheirOwnWholeJob() throws Exception {
        Spool s = new Spool(dir);
        int n = 24;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<JobStore.Created>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                String machine = "m" + i;
                String mac = String.format("52:54:00:00:01:%02x", i);
                futures.add(pool.submit(() -> {
                    go.await();
                    return s.store.add(machine, mac, i2via(machine), Duration.ofMinutes(5), false, (machine + "\n").getBytes());
                }));
            }
            go.countDown();
            Set<String> ids = ConcurrentHashMap.newKeySet();
            for (Future<JobStore.Created> f : futures) ids.add(f.get(30, TimeUnit.SECONDS).job().id);
            assertThat(ids).hasSize(n);
        } finally {
            pool.shutdownNow();
        }
        List<Job> jobs = s.store.list();
        assertThat(jobs).hasSize(n);
        for (Job j : jobs) assertThat(s.read(s.store.script(j.id))).isEqualTo(j.machine + "\n");
    }

    private static Job.Via i2via(String machine) {
        return machine.hashCode() % 2 == 0 ? Job.Via.PXE : Job.Via.CDROM;
    }

    @Test
    void concurrentUpdatesOfOneJobLoseNone() throws Exception {
        Spool s = new Spool(dir);
        String id = s.store.add("lab07", "52:54:00:12:34:56", Job.Via.PXE, Duration.ofMinutes(5), false, SCRIPT).job().id;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String from = "10.0.0." + i;
                fs.add(pool.submit(() -> s.store.update(id, j -> {
                    j.record(new Job.Event(s.clock.instant(), "refused", from, "test", null));
                    return null;
                })));
            }
            for (Future<?> f : fs) f.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(s.store.read(id).orElseThrow().refusals()).isEqualTo(40);
    }

    @Test
    void aCdImageThatCannotBeWrittenLeavesNoJobBehind() throws Exception {
        Spool s = new Spool(dir);
        JobStore failing = new JobStore(s.config, s.clock, (iso, ticket) -> {
            throw new java.io.IOException("no space left");
        });

        assertThatThrownBy(() -> failing.add("lab08", "52:54:00:00:00:08", Job.Via.CDROM, Duration.ofMinutes(5), false, SCRIPT))
                .isInstanceOf(java.io.IOException.class).hasMessage("cannot add the job for lab08: no space left");
        try (var left = Files.list(s.config.jobs())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsOnly(".lock");
        }
        assertThat(failing.add("lab08", "52:54:00:00:00:08", Job.Via.PXE, Duration.ofMinutes(5), false, SCRIPT).job().via)
                .as("the machine is free for a new job").isEqualTo(Job.Via.PXE);
    }
}
