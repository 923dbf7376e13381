package org.ctys.bootd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctys.testkit.BootdProcess;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SiteCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * ctys-bootd as a sysadmin runs it (bin/ctys-bootd on the built jar, its own process) with real
 * clients: curl and openssl s_client over TLS checked against the site CA and the name boot.example,
 * curl over plain HTTP as iPXE fetches. Tokens are taken from where a machine gets them (the
 * /ipxe/MAC reply of a PXE job) and given to curl in a header file, never on a command line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BootdIT {
    private static final Pattern TOKEN = Pattern.compile("ctys\\.token=([A-Za-z0-9_-]{43})");
    private static final Pattern RESULT_TOKEN = Pattern.compile("(?im)^x-ctys-result-token: ([A-Za-z0-9_-]{43})\r?$");
    /** Every script carries it; the daemon's log must never. */
    private static final String SCRIPT_MARK = "script-body-never-logged";
    /** The server cuts off a client that has not sent its whole request after this many seconds. */
    private static final int REQUEST_SECONDS = 3;

    private Path dir;
    private SiteCa ca;
    private SiteCa other;
    private Path config;
    private int httpsPort;
    private int httpPort;
    private BootdProcess bootd;
    private final List<String> tokensSeen = new CopyOnWriteArrayList<>();
    private int macs;

    @BeforeAll
    void startTheServer() throws Exception {
        Proc.require("curl", "curl");
        Proc.require("openssl", "openssl");
        if (!Files.isRegularFile(Path.of("target/ctys.jar"))) {
            throw new AssertionError("target/ctys.jar is missing: these tests run after 'mvn package' (mvn verify)");
        }
        dir = Files.createTempDirectory("bootd-it");
        ca = SiteCa.create(dir.resolve("ca"), "Test Site CA");
        other = SiteCa.create(dir.resolve("other"), "Other CA");
        SiteCa.Server server = ca.issue("boot.example");
        httpsPort = Proc.freePort();
        httpPort = Proc.freePort();
        bootd = BootdProcess.configure(dir, "127.0.0.1", httpsPort, httpPort, ca.certificate(), server)
                .start("-Dsun.net.httpserver.maxReqTime=" + REQUEST_SECONDS);
        config = bootd.config;
    }

    @AfterAll
    void stopTheServerAndCheckItsLogHoldsNoSecret() throws Exception {
        try {
            if (bootd != null) {
                assertThat(bootd.stop()).as(log()).isZero();
                assertThat(log()).contains("ctys-bootd: stopping\n");
            }
            String log = log();
            assertThat(tokensSeen).as("the tests saw tokens").isNotEmpty();
            for (String t : tokensSeen) assertThat(log).as("the log holds no token").doesNotContain(t);
            assertThat(log).doesNotContain(SCRIPT_MARK).doesNotContain("Bearer");
        } finally {
            if (dir != null) Proc.deleteTree(dir);
        }
    }

    private static String launcher() { return BootdProcess.launcher(); }

    private Path writeConfig(String name, Path caCert, SiteCa.Server server) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, "name: boot.example\naddress: 127.0.0.1\nhttps: 127.0.0.1:" + httpsPort + "\nhttp: 127.0.0.1:" + httpPort
                + "\ncertificate: " + server.certificate() + "\nkey: " + server.key() + "\nca: " + caCert + "\nspool: "
                + dir.resolve("spool") + "\n");
        return f;
    }

    private String log() { return bootd.log(); }

    private synchronized String newMac() { return String.format("52:54:00:be:00:%02x", ++macs); }

    // --- the job commands, as -t boot runs them over SSH ---

    private Proc.Outcome bootd(String stdin, String... args) { return bootd.run(stdin, Duration.ofSeconds(90), args); }

    private String add(String machine, String mac, String limit, String script) {
        Proc.Outcome o = bootd(script, "job", "add", "--machine", machine, "--mac", mac, "--via", "pxe", "--limit", limit);
        assertThat(o.exit()).as(o.toString()).isZero();
        Matcher m = Pattern.compile("^\\{\"job\":\"([a-z2-7]{12})\",\"machine\":\"" + machine + "\",\"via\":\"pxe\",\"expires\":\"[^\"]+\"}\n$")
                .matcher(o.out());
        assertThat(m.find()).as(o.toString()).isTrue();
        return m.group(1);
    }

    private static String script(String body) { return "# " + SCRIPT_MARK + "\n" + body + "\n"; }

    /** {@code job await} in the background, its output in a file, as -t boot streams it. */
    private Process awaitInBackground(String id, Path out, String... limit) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Proc.require("timeout", "coreutils"), "-s", "KILL", "120", launcher(), "--config",
                config.toString(), "job", "await", id));
        cmd.addAll(List.of(limit));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("CTYS_NO_BUILD", "1");
        pb.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb.start();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    // --- the clients ---

    /** @param resultToken what a script's answer gave for the result ({@code X-Ctys-Result-Token}), or null */
    private record Reply(int curlExit, int status, String body, String err, String resultToken) {
        Reply(int curlExit, int status, String body, String err) { this(curlExit, status, body, err, null); }
    }

    /** Plain HTTP, as iPXE fetches. */
    private Reply plain(String path) throws IOException {
        Path body = Files.createTempFile(dir, "body", "");
        Proc.Outcome o = Proc.run(Duration.ofSeconds(30), List.of("curl", "-sS", "--max-time", "20", "-o", body.toString(), "-w",
                "%{http_code}", "http://127.0.0.1:" + httpPort + path));
        return new Reply(o.exit(), o.out().isEmpty() ? 0 : Integer.parseInt(o.out()), Files.readString(body), o.err());
    }

    /** The token a machine with {@code mac} is given while its PXE job is pending. */
    private String tokenFromIpxe(String mac, String id) throws IOException {
        Reply r = plain("/ipxe/" + mac);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("ctys.job=" + id + " ctys.mac=" + mac + " ");
        Matcher m = TOKEN.matcher(r.body());
        assertThat(m.find()).as(r.body()).isTrue();
        tokensSeen.add(m.group(1));
        return m.group(1);
    }

    /** HTTPS with curl, trusting {@code caCert} for boot.example; the token in a header file (0600), never in argv. */
    private Reply https(String method, String path, String token, String mac, String data, Path caCert) throws IOException {
        Path headers = Files.createTempFile(dir, "headers", "", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(headers, "Authorization: Bearer " + token + "\nX-Ctys-Mac: " + mac + "\n");
        Path body = Files.createTempFile(dir, "body", "");
        Path head = Files.createTempFile(dir, "head", "", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--resolve", "boot.example:" + httpsPort + ":127.0.0.1",
                "--cacert", caCert.toString(), "-H", "@" + headers, "-D", head.toString(), "-o", body.toString(), "-w", "%{http_code}",
                "-X", method));
        Path dataFile = null;
        if (data != null) {
            dataFile = Files.createTempFile(dir, "data", "");
            Files.writeString(dataFile, data);
            cmd.addAll(List.of("--data-binary", "@" + dataFile));
        }
        cmd.add("https://boot.example:" + httpsPort + path);
        Proc.Outcome o = Proc.run(Duration.ofSeconds(30), cmd);
        Files.delete(headers);
        Matcher given = RESULT_TOKEN.matcher(Files.readString(head));
        Files.delete(head);
        String resultToken = given.find() ? given.group(1) : null;
        if (resultToken != null) tokensSeen.add(resultToken);
        return new Reply(o.exit(), o.out().matches("\\d{3}") ? Integer.parseInt(o.out()) : 0, Files.readString(body), o.err(), resultToken);
    }

    /** The fetch exactly as the recovery system's /init makes it: openssl s_client, HTTP/1.0, CA and name checked. */
    private Proc.Outcome opensslFetch(String id, String token, String mac, Path caCert) {
        ProcessBuilder pb = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + httpsPort, "-servername", "boot.example",
                "-verify_hostname", "boot.example", "-CAfile", caCert.toString(), "-verify_return_error", "-quiet");
        String request = "GET /job/" + id + "/script HTTP/1.0\r\nHost: boot.example\r\nAuthorization: Bearer " + token
                + "\r\nX-Ctys-Mac: " + mac + "\r\n\r\n";
        return Proc.run(pb, request, Duration.ofSeconds(30));
    }

    private String jobLine(String id) {
        Proc.Outcome o = bootd(null, "job", "list", "--json");
        assertThat(o.exit()).as(o.toString()).isZero();
        return o.out().lines().filter(l -> l.startsWith("{\"job\":\"" + id + "\"")).findFirst()
                .orElseThrow(() -> new AssertionError("job list --json has no " + id + ":\n" + o.out()));
    }

    // --- the cases ---

    @Test
    void aPxeJobsScriptIsFetchedOnceOverVerifiedTlsThenTheTokenIsRefusedAndTheReuseReported() throws Exception {
        assertThat(plain("/boot.ipxe").body()).isEqualTo("#!ipxe\nchain http://127.0.0.1:" + httpPort + "/ipxe/${net0/mac}\n");
        String mac = newMac();
        String id = add("lab01", mac, "5m", script("echo one"));
        assertThat(plain("/ipxe/" + newMac()).body()).as("no job for that MAC: on to the disk").isEqualTo("#!ipxe\nexit\n");
        assertThat(plain("/ipxe/52%zz54").status()).as("a broken escape is the client's error").isEqualTo(400);

        Reply ipxe = plain("/ipxe/" + mac.replace(":", "%3A")); // as iPXE asks: ${net0/mac} percent-encoded
        assertThat(ipxe.body()).startsWith("#!ipxe\n")
                .contains("\nkernel http://127.0.0.1:" + httpPort + "/recovery/vmlinuz initrd=initrd.img console=ttyS0,115200 quiet ctys.url=https://boot.example:"
                        + httpsPort + " ctys.addr=127.0.0.1 ctys.job=" + id + " ctys.mac=" + mac + " ctys.token=")
                .contains("\ninitrd http://127.0.0.1:" + httpPort + "/recovery/initrd.img\nboot\n");
        String token = tokenFromIpxe(mac, id);

        Proc.Outcome fetched = opensslFetch(id, token, mac, ca.certificate());
        assertThat(fetched.out()).as(fetched.toString()).startsWith("HTTP/1.1 200 OK")
                .endsWith("\r\n\r\n" + script("echo one"));
        assertThat(plain("/ipxe/" + mac).body()).as("the token is offered no more").isEqualTo("#!ipxe\nexit\n");

        Reply reuse = https("GET", "/job/" + id + "/script", token, mac, null, ca.certificate());
        assertThat(reuse.status()).as(reuse.toString()).isEqualTo(410);
        assertThat(reuse.body()).isEqualTo("token already used\n");

        assertThat(jobLine(id)).contains("\"state\":\"fetched\"", "\"fetchedFrom\":\"127.0.0.1\"",
                "\"refused\":[{\"reason\":\"script: token already used\",\"from\":\"127.0.0.1\"");
        Proc.Outcome table = bootd(null, "job", "list");
        assertThat(table.out()).containsPattern(id + " +lab01 +" + mac + " +pxe +fetched .*fetched from 127\\.0\\.0\\.1; 1 refused: "
                + "script: token already used from 127\\.0\\.0\\.1");
        Proc.Outcome await = bootd(null, "job", "await", id, "--limit", "1s");
        assertThat(await.exit()).as(await.toString()).isEqualTo(1);
        List<String> lines = await.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("{\"job\":\"" + id + "\",\"state\":\"fetched\",\"from\":\"127.0.0.1\",\"at\":");
        assertThat(lines.get(1)).startsWith("{\"job\":\"" + id + "\",\"refused\":\"script: token already used\",\"from\":\"127.0.0.1\"");
        assertThat(lines.get(2)).startsWith("{\"job\":\"" + id + "\",\"state\":\"fetched\",\"limitReached\":true,");
        assertThat(log()).contains(" 127.0.0.1 https GET /job/" + id + "/script 200 job " + id + "\n")
                .contains(" 127.0.0.1 https GET /job/" + id + "/script 410 job " + id + " (token already used)\n");
    }

    @Test
    void awaitSeesTheFetchThenTheResultWithTheScriptsExitStatusAndOutputPostedOnce() throws Exception {
        String mac = newMac();
        String id = add("lab02", mac, "5m", script("echo two; exit 3"));
        Path out = dir.resolve("await-" + id);
        Process await = awaitInBackground(id, out, "--limit", "60s");
        try {
            String token = tokenFromIpxe(mac, id);
            Reply early = https("POST", "/job/" + id + "/result", token, mac, "exit 0\nearly\n", ca.certificate());
            assertThat(early.status()).as("no result with the job's token, before the fetch either").isEqualTo(403);
            assertThat(early.body()).isEqualTo("forbidden\n");
            Reply fetched = https("GET", "/job/" + id + "/script", token, mac, null, ca.certificate());
            assertThat(fetched.status()).as(fetched.toString()).isEqualTo(200);
            assertThat(fetched.body()).isEqualTo(script("echo two; exit 3"));
            assertThat(fetched.resultToken()).as("the script comes with a token for the result").isNotNull().isNotEqualTo(token);
            assertThat(Proc.await(() -> read(out).contains("\"state\":\"fetched\""), Duration.ofSeconds(20)))
                    .as("await streams the fetch while the job runs: " + read(out)).isTrue();
            assertThat(await.isAlive()).isTrue();

            // whoever read the job's token off the LAN (a PXE boot's kernel command line) and waited for the fetch
            Reply forged = https("POST", "/job/" + id + "/result", token, mac, "exit 0\nall fixed\n", ca.certificate());
            assertThat(forged.status()).as(forged.toString()).isEqualTo(403);
            assertThat(forged.body()).isEqualTo("forbidden\n");
            assertThat(jobLine(id)).contains("\"state\":\"fetched\"");

            Reply posted = https("POST", "/job/" + id + "/result", fetched.resultToken(), mac, "exit 3\ntwo says hello\nand bye\n",
                    ca.certificate());
            assertThat(posted.status()).as(posted.toString()).isEqualTo(200);
            Reply again = https("POST", "/job/" + id + "/result", fetched.resultToken(), mac, "exit 0\nforged\n", ca.certificate());
            assertThat(again.status()).isEqualTo(410);
            assertThat(again.body()).isEqualTo("token already used\n");

            assertThat(await.waitFor(30, TimeUnit.SECONDS)).as(read(out)).isTrue();
            assertThat(await.exitValue()).as(read(out)).isZero();
        } finally {
            if (await.isAlive()) Proc.kill(await);
        }
        // up to the result; the refused second post may follow it, or the await may have ended before it was made
        List<String> lines = read(out).lines().toList();
        assertThat(lines.size()).as(read(out)).isBetween(4, 5);
        String fetchToken = "result with the fetch token, not the one the script came with";
        assertThat(lines.get(0)).startsWith("{\"job\":\"" + id + "\",\"refused\":\"" + fetchToken + "\",\"from\":\"127.0.0.1\"");
        assertThat(lines.get(1)).startsWith("{\"job\":\"" + id + "\",\"state\":\"fetched\",\"from\":\"127.0.0.1\"");
        assertThat(lines.get(2)).startsWith("{\"job\":\"" + id + "\",\"refused\":\"" + fetchToken + "\",\"from\":\"127.0.0.1\"");
        assertThat(log()).contains("https POST /job/" + id + "/result 403 job " + id + " (forbidden (the fetch token on the result))");
        String done = lines.get(3);
        assertThat(done).startsWith("{\"job\":\"" + id + "\",\"state\":\"done\",\"from\":\"127.0.0.1\",\"exit\":3,\"output\":\""
                + Base64.getEncoder().encodeToString("two says hello\nand bye\n".getBytes(StandardCharsets.UTF_8)) + "\",\"outputBytes\":23,");
        Matcher file = Pattern.compile("\"outputFile\":\"([^\"]+)\"").matcher(done);
        assertThat(file.find()).isTrue();
        assertThat(Files.readString(Path.of(file.group(1)))).isEqualTo("two says hello\nand bye\n");
        assertThat(jobLine(id)).contains("\"state\":\"done\"", "\"exit\":3");
    }

    @Test
    void aWrongTokenOrTheRightTokenFromAnotherMacIsForbiddenAndTheJobStaysOpen() throws Exception {
        String mac = newMac();
        String id = add("lab03", mac, "5m", script("echo three"));
        String token = tokenFromIpxe(mac, id);
        String forged = Token.create();
        tokensSeen.add(forged);

        Reply wrongToken = https("GET", "/job/" + id + "/script", forged, mac, null, ca.certificate());
        Reply wrongMac = https("GET", "/job/" + id + "/script", token, "52:54:00:66:66:66", null, ca.certificate());

        assertThat(wrongToken.status()).isEqualTo(403);
        assertThat(wrongMac.status()).isEqualTo(403);
        assertThat(wrongToken.body()).isEqualTo("forbidden\n");
        assertThat(jobLine(id)).contains("\"state\":\"pending\"",
                "\"refused\":[{\"reason\":\"script with the token from MAC 52:54:00:66:66:66\",\"from\":\"127.0.0.1\"");
        assertThat(log()).contains("https GET /job/" + id + "/script 403 job " + id + " (forbidden (wrong token))")
                .contains("https GET /job/" + id + "/script 403 job " + id + " (forbidden (wrong MAC))");
        assertThat(https("GET", "/job/" + id + "/script", token, mac, null, ca.certificate()).status()).isEqualTo(200);
    }

    @Test
    void aJobNotFetchedInTimeExpiresAwaitSaysSoAndItsTokenIsRefused() throws Exception {
        String mac = newMac();
        String id = add("lab04", mac, "2s", script("echo four"));
        String token = tokenFromIpxe(mac, id);

        Proc.Outcome await = bootd(null, "job", "await", id);

        assertThat(await.exit()).as(await.toString()).isEqualTo(1);
        assertThat(await.out()).startsWith("{\"job\":\"" + id + "\",\"state\":\"expired\",\"reason\":\"not fetched by ");
        assertThat(await.took()).isLessThan(Duration.ofSeconds(30));
        Reply late = https("GET", "/job/" + id + "/script", token, mac, null, ca.certificate());
        assertThat(late.status()).isEqualTo(410);
        assertThat(late.body()).isEqualTo("expired\n");
        assertThat(plain("/ipxe/" + mac).body()).isEqualTo("#!ipxe\nexit\n");
        assertThat(dir.resolve("spool/jobs/" + id + "/pxe-token")).doesNotExist();
    }

    @Test
    void theServingDaemonExpiresAJobNobodyAsksAboutAndDeletesItsPxeToken() throws Exception {
        String id = add("lab04b", newMac(), "1s", script("echo four b"));
        Path job = dir.resolve("spool/jobs/" + id);
        assertThat(job.resolve("pxe-token")).exists();

        assertThat(Proc.await(() -> !Files.exists(job.resolve("pxe-token")), Duration.ofSeconds(20), Duration.ofMillis(200)))
                .as("the daemon's sweep took the token away").isTrue();
        assertThat(read(job.resolve("job.json"))).contains("\"state\":\"expired\"");
    }

    @Test
    void aCancelledJobIsRefusedAndAFetchedOneCannotBeCancelled() throws Exception {
        String mac = newMac();
        String id = add("lab05", mac, "5m", script("echo five"));
        String token = tokenFromIpxe(mac, id);

        Proc.Outcome cancel = bootd(null, "job", "cancel", id);
        assertThat(cancel.exit()).as(cancel.toString()).isZero();
        assertThat(cancel.out()).startsWith("{\"job\":\"" + id + "\",\"state\":\"cancelled\"");
        Reply r = https("GET", "/job/" + id + "/script", token, mac, null, ca.certificate());
        assertThat(r.status()).isEqualTo(410);
        assertThat(r.body()).isEqualTo("cancelled\n");
        assertThat(plain("/ipxe/" + mac).body()).isEqualTo("#!ipxe\nexit\n");

        String mac2 = newMac();
        String id2 = add("lab05b", mac2, "5m", script("echo five b"));
        assertThat(https("GET", "/job/" + id2 + "/script", tokenFromIpxe(mac2, id2), mac2, null, ca.certificate()).status()).isEqualTo(200);
        Proc.Outcome refused = bootd(null, "job", "cancel", id2);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("ctys-bootd: job " + id2 + " is fetched: the machine has its script already; it cannot be cancelled\n");
    }

    @Test
    void severalJobAddsAtOnceAndTwoMachinesFetchingAndPostingAtOnceEachGetTheirOwnJob() throws Exception {
        int n = 6;
        List<String> machines = new ArrayList<>();
        List<String> macList = new ArrayList<>();
        List<Process> adds = new ArrayList<>();
        List<Path> addOut = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            machines.add("par" + i);
            macList.add(newMac());
            Path o = dir.resolve("add-par" + i);
            addOut.add(o);
            ProcessBuilder pb = new ProcessBuilder(Proc.require("timeout", "coreutils"), "-s", "KILL", "90", launcher(), "--config",
                    config.toString(), "job", "add", "--machine", machines.get(i), "--mac", macList.get(i), "--via", "pxe", "--limit", "5m");
            pb.environment().put("CTYS_NO_BUILD", "1");
            Path in = dir.resolve("script-par" + i);
            Files.writeString(in, script("echo machine " + machines.get(i)));
            pb.redirectInput(in.toFile()).redirectOutput(o.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(o.toFile()));
            adds.add(pb.start());
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            assertThat(adds.get(i).waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(adds.get(i).exitValue()).as(read(addOut.get(i))).isZero();
            Matcher m = Pattern.compile("\"job\":\"([a-z2-7]{12})\"").matcher(read(addOut.get(i)));
            assertThat(m.find()).isTrue();
            ids.add(m.group(1));
        }
        assertThat(ids).doesNotHaveDuplicates();
        for (int i = 0; i < n; i++) assertThat(jobLine(ids.get(i))).contains("\"machine\":\"" + machines.get(i) + "\"", "\"state\":\"pending\"");

        // two machines at once: each fetches its own script and posts its own result
        List<Process> awaits = new ArrayList<>();
        List<Thread> machinesRunning = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try {
            for (int i = 0; i < 2; i++) awaits.add(awaitInBackground(ids.get(i), dir.resolve("await-par" + i), "--limit", "60s"));
            for (int i = 0; i < 2; i++) {
                int k = i;
                Thread t = new Thread(() -> {
                    try {
                        String token = tokenFromIpxe(macList.get(k), ids.get(k));
                        Reply s = https("GET", "/job/" + ids.get(k) + "/script", token, macList.get(k), null, ca.certificate());
                        assertThat(s.body()).isEqualTo(script("echo machine " + machines.get(k)));
                        assertThat(https("POST", "/job/" + ids.get(k) + "/result", s.resultToken(), macList.get(k), "exit " + (10 + k)
                                + "\nmachine " + machines.get(k) + "\n", ca.certificate()).status()).isEqualTo(200);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                machinesRunning.add(t);
                t.start();
            }
            for (Thread t : machinesRunning) t.join(60_000);
            assertThat(failures).isEmpty();
            for (int i = 0; i < 2; i++) {
                assertThat(awaits.get(i).waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(awaits.get(i).exitValue()).isZero();
                String done = read(dir.resolve("await-par" + i)).lines().reduce((a, b) -> b).orElse("");
                assertThat(done).contains("\"state\":\"done\"", "\"exit\":" + (10 + i),
                        "\"output\":\"" + Base64.getEncoder().encodeToString(("machine " + machines.get(i) + "\n").getBytes(StandardCharsets.UTF_8)));
            }
        } finally {
            for (Process p : awaits) if (p.isAlive()) Proc.kill(p);
            for (int i = 0; i < n; i++) bootd(null, "job", "cancel", ids.get(i));
        }
    }

    @Test
    void aClientTrustingAnotherCaRefusesTheServerBeforeItSendsTheToken() throws Exception {
        String mac = newMac();
        String id = add("lab06", mac, "5m", script("echo six"));
        String token = tokenFromIpxe(mac, id);

        Reply curl = https("GET", "/job/" + id + "/script", token, mac, null, other.certificate());
        Proc.Outcome openssl = opensslFetch(id, token, mac, other.certificate());

        assertThat(curl.curlExit()).as(curl.toString()).isEqualTo(60);
        assertThat(openssl.exit()).as(openssl.toString()).isNotZero();
        assertThat(openssl.err()).contains("verify error");
        assertThat(openssl.out()).doesNotContain("HTTP/1.1");
        assertThat(log()).as("no request reached the server").doesNotContain("/job/" + id + "/");
        assertThat(jobLine(id)).contains("\"state\":\"pending\"");
        assertThat(opensslFetch(id, token, mac, ca.certificate()).out()).startsWith("HTTP/1.1 200 OK");
    }

    /**
     * Clients that stall in their request on the plain-HTTP port (which anyone on the LAN reaches,
     * no token needed) hold that port's workers until the request time is up, and never the HTTPS
     * side's: a machine's script fetch is served meanwhile.
     */
    @Test
    void clientsStallingThePlainPortDoNotDelayAScriptFetch() throws Exception {
        String mac = newMac();
        String id = add("lab07", mac, "5m", script("echo seven"));
        String token = tokenFromIpxe(mac, id);
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < BootServer.WORKERS + 8; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", httpPort), 5000);
                s.getOutputStream().write("GET /boot.ipxe HTTP/1.1\r\nHost: boot".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                stalled.add(s);
            }
            long t0 = System.nanoTime();
            Reply fetched = https("GET", "/job/" + id + "/script", token, mac, null, ca.certificate());
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(fetched.status()).as(fetched.toString()).isEqualTo(200);
            assertThat(took).as("served while the plain port's workers wait for stalled clients")
                    .isLessThan(Duration.ofSeconds(REQUEST_SECONDS - 1));
        } finally {
            for (Socket s : stalled) s.close();
        }
    }

    /** A method is the client's word: the log line keeps 16 printable characters of it, never a line of the client's making. */
    @Test
    void aClientsMethodIsLoggedShortAndPrintable() throws Exception {
        String method = "M".repeat(300) + "\u00e9\tFORGED-RECORD";
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", httpPort), 5000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write((method + " /boot.ipxe HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 405");
        }
        String logged = " http " + "M".repeat(16) + "... /boot.ipxe 405 (GET only)";
        assertThat(Proc.await(() -> log().contains(logged), Duration.ofSeconds(10))).as(log()).isTrue();
        assertThat(log()).doesNotContain("FORGED").doesNotContain("M".repeat(17));
    }

    @Test
    void aClientThatDoesNotFinishItsRequestIsCutOff() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", httpPort), 5000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /boot.ipxe HTTP/1.1\r\nHost: boot.example\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long t0 = System.nanoTime();
            InputStream in = s.getInputStream();
            int first = in.read();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(first).as("closed without an answer").isEqualTo(-1);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(REQUEST_SECONDS - 1)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void checkAcceptsTheConfigurationAndRefusesACertificateTheCaDidNotSign() throws Exception {
        Proc.Outcome ok = bootd(null, "--check");
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("valid; https 127.0.0.1:" + httpsPort + " as boot.example");

        SiteCa.Server foreign = other.issue("boot.example");
        Path bad = writeConfig("foreign.yaml", ca.certificate(), foreign);
        ProcessBuilder pb = new ProcessBuilder(launcher(), "--config", bad.toString(), "--check");
        pb.environment().put("CTYS_NO_BUILD", "1");
        Proc.Outcome refused = Proc.run(pb, null, Duration.ofSeconds(60));
        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.err()).isEqualTo("ctys-bootd: certificate " + foreign.certificate() + " is not signed by the CA in "
                + ca.certificate() + "; the recovery system trusts only that CA\n");
    }
}
