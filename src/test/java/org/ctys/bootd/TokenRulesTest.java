package org.ctys.bootd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenRulesTest {
    @TempDir Path dir;

    private static final String MAC = "52:54:00:12:34:56";
    private static final byte[] SCRIPT = "echo from-the-script\n".getBytes(StandardCharsets.UTF_8);

    private Spool spool;
    private TokenRules rules;

    private JobStore.Created add(Job.Via via, Duration limit) throws Exception {
        spool = new Spool(dir);
        rules = new TokenRules(spool.store);
        return spool.store.add("lab07", MAC, via, limit, false, SCRIPT);
    }

    private static ByteArrayInputStream body(String s) { return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)); }

    private static String text(Answer a) { return new String(a.body(), StandardCharsets.UTF_8); }

    /** The result token a script's answer gives. */
    private static String resultToken(Answer fetched) {
        String t = fetched.headers().get(TokenRules.RESULT_TOKEN);
        assertThat(t).as("the result token").matches("[A-Za-z0-9_-]{43}");
        return t;
    }

    @Test
    void theTokenOpensOneFetchFromTheJobsMacAndTheFetchGivesTheTokenOfOneResult() throws Exception {
        JobStore.Created c = add(Job.Via.PXE, Duration.ofMinutes(10));
        String id = c.job().id;

        Answer fetched = rules.fetch(id, c.token(), "52-54-00-12-34-56", "10.0.2.15");
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(SCRIPT);
        assertThat(fetched.reason()).isNull();
        assertThat(spool.store.pxeToken(id)).as("no /ipxe reply carries the token again").doesNotExist();
        Job j = spool.store.read(id).orElseThrow();
        assertThat(j.state).isEqualTo(Job.State.FETCHED);
        assertThat(j.fetchedFrom).isEqualTo("10.0.2.15");
        String result = resultToken(fetched);
        assertThat(result).isNotEqualTo(c.token());
        assertThat(j.resultTokenSha256).isEqualTo(Token.sha256(result));
        assertThat(spool.read(spool.store.dir(id).resolve("job.json"))).as("the spool keeps hashes only")
                .doesNotContain(result).doesNotContain(c.token());

        Answer again = rules.fetch(id, c.token(), MAC, "10.9.9.9");
        assertThat(again.status()).isEqualTo(410);
        assertThat(text(again)).isEqualTo("token already used\n");
        assertThat(spool.store.read(id).orElseThrow().events).last()
                .satisfies(e -> {
                    assertThat(e.kind()).isEqualTo("refused");
                    assertThat(e.from()).isEqualTo("10.9.9.9");
                    assertThat(e.reason()).isEqualTo("script: token already used");
                });

        // the job's token, which a PXE boot shows the LAN, posts no result: refused and recorded
        Answer forged = rules.post(id, c.token(), MAC, "10.9.9.9", body("exit 0\nall fixed\n"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(text(forged)).isEqualTo("forbidden\n");
        assertThat(forged.reason()).isEqualTo("forbidden (the fetch token on the result)");
        assertThat(spool.store.read(id).orElseThrow().events).last().satisfies(e -> {
            assertThat(e.kind()).isEqualTo("refused");
            assertThat(e.from()).isEqualTo("10.9.9.9");
            assertThat(e.reason()).isEqualTo("result with the fetch token, not the one the script came with");
        });
        assertThat(spool.store.read(id).orElseThrow().state).isEqualTo(Job.State.FETCHED);

        Answer posted = rules.post(id, result, MAC, "10.0.2.15", body("exit 3\nline 1\nline 2\n"));
        assertThat(posted.status()).isEqualTo(200);
        j = spool.store.read(id).orElseThrow();
        assertThat(j.state).isEqualTo(Job.State.DONE);
        assertThat(j.exit).isEqualTo(3);
        assertThat(spool.read(spool.store.output(id))).isEqualTo("line 1\nline 2\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spool.store.output(id)))).isEqualTo("rw-------");

        Answer second = rules.post(id, result, MAC, "10.0.2.15", body("exit 0\nforged\n"));
        assertThat(second.status()).isEqualTo(410);
        assertThat(spool.read(spool.store.output(id))).isEqualTo("line 1\nline 2\n");
    }

    @Test
    void aWrongTokenOrAnUnknownJobIsTheSame403AndNothingIsRecorded() throws Exception {
        JobStore.Created c = add(Job.Via.PXE, Duration.ofMinutes(10));
        String id = c.job().id;

        Answer wrong = rules.fetch(id, Token.create(), MAC, "10.0.2.15");
        Answer none = rules.fetch("aaaaaaaaaaaa", c.token(), MAC, "10.0.2.15");
        Answer missing = rules.fetch(id, null, MAC, "10.0.2.15");

        for (Answer a : new Answer[] {wrong, none, missing}) {
            assertThat(a.status()).isEqualTo(403);
            assertThat(text(a)).isEqualTo("forbidden\n");
        }
        assertThat(wrong.reason()).contains("wrong token");
        Job j = spool.store.read(id).orElseThrow();
        assertThat(j.state).isEqualTo(Job.State.PENDING);
        assertThat(j.refusals()).isZero();
    }

    @Test
    void theRightTokenFromAnotherMacIsRefusedAndRecordedAndTheJobStaysOpen() throws Exception {
        JobStore.Created c = add(Job.Via.PXE, Duration.ofMinutes(10));

        Answer a = rules.fetch(c.job().id, c.token(), "52:54:00:66:66:66", "10.0.2.99");

        assertThat(a.status()).isEqualTo(403);
        Job j = spool.store.read(c.job().id).orElseThrow();
        assertThat(j.state).isEqualTo(Job.State.PENDING);
        assertThat(j.events).last().extracting(Job.Event::reason).asString().contains("MAC 52:54:00:66:66:66");
        assertThat(rules.fetch(c.job().id, c.token(), MAC, "10.0.2.15").status()).isEqualTo(200);
    }

    @Test
    void anExpiredOrCancelledJobAnswers410AndAResultBeforeTheFetchIsRefusedAndRecorded() throws Exception {
        JobStore.Created c = add(Job.Via.PXE, Duration.ofSeconds(30));
        assertThat(rules.post(c.job().id, c.token(), MAC, "10.0.2.15", body("exit 0\n")).status()).isEqualTo(403);
        assertThat(spool.store.read(c.job().id).orElseThrow().refusals()).as("a thief probing with the token is seen").isEqualTo(1);

        spool.clock.advance(Duration.ofSeconds(30));
        Answer expired = rules.fetch(c.job().id, c.token(), MAC, "10.0.2.15");
        assertThat(expired.status()).isEqualTo(410);
        assertThat(text(expired)).isEqualTo("expired\n");

        JobStore.Created d = spool.store.add("lab09", "52:54:00:00:00:09", Job.Via.PXE, Duration.ofMinutes(1), false, SCRIPT);
        assertThat(new JobCommands(spool.store, new java.io.PrintStream(new ByteArrayOutputStream()),
                new Say(new java.io.PrintStream(new ByteArrayOutputStream()))).cancel(d.job().id)).isZero();
        Answer cancelled = rules.fetch(d.job().id, d.token(), "52:54:00:00:00:09", "10.0.2.15");
        assertThat(cancelled.status()).isEqualTo(410);
        assertThat(text(cancelled)).isEqualTo("cancelled\n");
    }

    @Test
    void aFetchedJobWithoutAResultByItsExpiryExpiresAndALateResultIsRefused() throws Exception {
        JobStore.Created c = add(Job.Via.CDROM, Duration.ofSeconds(30));
        Answer fetched = rules.fetch(c.job().id, c.token(), MAC, "10.0.2.15");
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(spool.read(spool.store.iso("lab07"))).as("the CD loses its ticket at the fetch").isEqualTo("no job\n");

        spool.clock.advance(Duration.ofSeconds(31));
        Answer late = rules.post(c.job().id, resultToken(fetched), MAC, "10.0.2.15", body("exit 0\n"));

        assertThat(late.status()).isEqualTo(410);
        Job j = spool.store.read(c.job().id).orElseThrow();
        assertThat(j.state).isEqualTo(Job.State.EXPIRED);
        assertThat(j.events).extracting(Job.Event::reason).contains("no result by " + j.expires);
    }

    @Test
    void aResultWithoutItsExitLineIsRefusedAndTheTokenStaysGoodForARealOne() throws Exception {
        JobStore.Created c = add(Job.Via.PXE, Duration.ofMinutes(10));
        String result = resultToken(rules.fetch(c.job().id, c.token(), MAC, "10.0.2.15"));

        for (String bad : new String[] {"", "output only\n", "exit 256\n", "exit -1\n", "exit x\n"}) {
            assertThat(rules.post(c.job().id, result, MAC, "10.0.2.15", body(bad)).status()).as(bad).isEqualTo(400);
        }
        assertThat(rules.post(c.job().id, result, MAC, "10.0.2.15", body("exit 0\r\n")).status()).isEqualTo(200);
        assertThat(spool.store.read(c.job().id).orElseThrow().exit).isZero();
    }

    @Test
    void outputPast1MiBIsCutWithANoteSayingHowMuchWasSent() throws Exception {
        JobStore.Created c = add(Job.Via.PXE, Duration.ofMinutes(10));
        String result = resultToken(rules.fetch(c.job().id, c.token(), MAC, "10.0.2.15"));
        byte[] big = new byte[ResultBody.KEPT + 5000];
        java.util.Arrays.fill(big, (byte) 'x');
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write("exit 1\n".getBytes(StandardCharsets.US_ASCII));
        b.write(big);

        assertThat(rules.post(c.job().id, result, MAC, "10.0.2.15", new ByteArrayInputStream(b.toByteArray())).status())
                .isEqualTo(200);

        String kept = spool.read(spool.store.output(c.job().id));
        String note = "\n[ctys-bootd: output cut at 1048576 bytes; " + big.length + " bytes were sent]\n";
        assertThat(kept).hasSize(ResultBody.KEPT + note.length()).endsWith(note);
        assertThat(spool.store.read(c.job().id).orElseThrow().outputBytes).isEqualTo(big.length);
    }
}
