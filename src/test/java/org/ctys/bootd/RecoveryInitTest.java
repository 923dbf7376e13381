package org.ctys.bootd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ctys.testkit.Proc;
import org.ctys.testkit.SiteCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recovery system's shell functions, run by the busybox that goes into the image, here on
 * the build machine: reading the job, checking it, the exact request bytes, reading answers, and
 * one real exchange with openssl against an HTTPS server on 127.0.0.1 (a private mount namespace
 * gives the shell its own /etc/hosts, as the image writes it).
 */
class RecoveryInitTest {
    @TempDir Path dir;

    @Test
    void bothScriptsAreValidBusyboxShell() throws Exception {
        Path init = Files.writeString(dir.resolve("init"), RecoveryInit.INIT);
        Path functions = Files.writeString(dir.resolve("functions"), RecoveryInit.FUNCTIONS);
        Path udhcpc = Files.writeString(dir.resolve("udhcpc"), RecoveryInit.UDHCPC_SCRIPT);
        for (Path p : List.of(init, functions, udhcpc)) {
            Proc.Outcome o = Proc.run(Proc.SETUP_LIMIT, List.of(busybox(), "sh", "-n", p.toString()));
            assertThat(o.exit()).as(o.toString()).isZero();
        }
        assertThat(RecoveryInit.INIT).startsWith("#!/bin/sh\n").contains(". " + RecoveryInit.FUNCTIONS_PATH)
                .contains("-s " + RecoveryInit.UDHCPC_SCRIPT_PATH).endsWith("finish\n");
        assertThat(RecoveryInit.FUNCTIONS).contains("poweroff -f").contains("-verify_return_error");
    }

    @Test
    void theJobComesFromTheKernelCommandLineAndKeepFromEither() throws Exception {
        Files.writeString(dir.resolve("cmdline"), "BOOT_IMAGE=/vmlinuz console=ttyS0 ctys.url=https://boot.example:8443 "
                + "ctys.addr=10.0.2.2 ctys.job=ABCDEFGHJKLM ctys.mac=52:54:00:12:34:56 ctys.token=t0k-_en ctys.keep=1\n");
        String out = sh("read_job " + dir.resolve("cmdline") + " " + dir.resolve("none")
                + "; echo \"$url|$addr|$job|$mac|$token|$keep|$origin\"");
        assertThat(out).isEqualTo("https://boot.example:8443|10.0.2.2|ABCDEFGHJKLM|52:54:00:12:34:56|t0k-_en|1|the kernel command line\n");
    }

    @Test
    void theJobFileOfACdImageWinsOverTheCommandLine() throws Exception {
        JobTicket ticket = new JobTicket("boot.example", "10.0.2.2", 8443, "JOBFROMFILE1", "52:54:00:00:00:01", "filetoken");
        Files.writeString(dir.resolve("job"), ticket.jobFile());
        Files.writeString(dir.resolve("cmdline"), "console=ttyS0 ctys.job=OTHER ctys.token=other\n");
        String out = sh("read_job " + dir.resolve("cmdline") + " " + dir.resolve("job")
                + "; echo \"$url|$addr|$job|$mac|$token|$keep|$origin\"");
        assertThat(out).isEqualTo("https://boot.example:8443|10.0.2.2|JOBFROMFILE1|52:54:00:00:00:01|filetoken||" + dir.resolve("job") + "\n");
    }

    @Test
    void withoutAJobTheOriginIsEmpty() throws Exception {
        Files.writeString(dir.resolve("cmdline"), "console=ttyS0,115200 quiet\n");
        assertThat(sh("read_job " + dir.resolve("cmdline") + " " + dir.resolve("none") + "; echo \"[$origin][$token]\""))
                .isEqualTo("[][]\n");
    }

    @Test
    void aJobForAnotherServerOrWithoutTokenOrHttpsIsRefusedByName() {
        String set = "origin=test; url=https://boot.example:8443 addr=10.0.2.2 job=J token=T; ";
        assertThat(sh(set + "check_job boot.example && echo \"ok $host $port\"")).isEqualTo("ok boot.example 8443\n");
        assertThat(sh(set + "check_job evil.example || echo refused"))
                .isEqualTo("ctys-recovery: the job names the server boot.example, this image trusts only evil.example\nrefused\n");
        assertThat(sh(set + "token=; check_job boot.example || echo refused"))
                .isEqualTo("ctys-recovery: the job from test has no token\nrefused\n");
        assertThat(sh(set + "url=http://boot.example:8080; check_job boot.example || echo refused"))
                .isEqualTo("ctys-recovery: the job's url 'http://boot.example:8080' is not https://NAME:PORT\nrefused\n");
    }

    @Test
    void theRequestsAreHttp10WithTokenMacAndForAPostTheLengthOfTheBody() throws Exception {
        String set = "host=boot.example port=8443 token=t0k nicmac=52:54:00:aa:bb:cc; ";
        assertThat(sh(set + "http_request GET /job/J/script")).isEqualTo("GET /job/J/script HTTP/1.0\r\nHost: boot.example:8443\r\n"
                + "Authorization: Bearer t0k\r\nX-Ctys-Mac: 52:54:00:aa:bb:cc\r\nConnection: close\r\n\r\n");
        Files.writeString(dir.resolve("result"), "exit 3\nhällo\n");
        assertThat(sh(set + "http_request POST /job/J/result " + dir.resolve("result"))).isEqualTo(
                "POST /job/J/result HTTP/1.0\r\nHost: boot.example:8443\r\nAuthorization: Bearer t0k\r\n"
                        + "X-Ctys-Mac: 52:54:00:aa:bb:cc\r\nConnection: close\r\nContent-Type: text/plain\r\n"
                        + "Content-Length: 14\r\n\r\nexit 3\nhällo\n");
    }

    @Test
    void anAnswerIsReadAsStatusAndBody() throws Exception {
        Path response = Files.writeString(dir.resolve("response"),
                "HTTP/1.1 410 Gone\r\nDate: x\r\nContent-length: 26\r\n\r\ntoken already used\nsecond\n");
        assertThat(sh("http_code " + response)).isEqualTo("410\n");
        assertThat(sh("http_body " + response)).isEqualTo("token already used\nsecond\n");
        assertThat(sh("http_refusal " + response)).isEqualTo("HTTP/1.1 410 Gone: token already used\n");
        assertThat(sh("http_complete " + response + " && echo whole")).isEqualTo("whole\n");
        Path script = Files.writeString(dir.resolve("script"), "HTTP/1.1 200 OK\r\nx-ctys-result-token:  Ab_9-z \r\n"
                + "Content-length: 45\r\n\r\nX-Ctys-Result-Token: forged\necho the script\n");
        assertThat(sh("http_header " + script + " X-CTYS-RESULT-TOKEN; result_token " + script)).isEqualTo("Ab_9-z\nAb_9-z\n");
        assertThat(sh("http_header " + script + " Date; echo .")).as("no such header").isEqualTo(".\n");
        assertThat(sh("result_token " + response + " || echo none")).as("an answer without one").isEqualTo("none\n");
        Path odd = Files.writeString(dir.resolve("odd"), "HTTP/1.1 200 OK\r\nX-Ctys-Result-Token: a b;c\r\n\r\n");
        assertThat(sh("result_token " + odd + " || echo unusable")).isEqualTo("unusable\n");
        Path cut = Files.writeString(dir.resolve("cut"), "HTTP/1.0 200 OK\r\nContent-Length: 30\r\n\r\necho half\nrm -rf /tm");
        assertThat(sh("http_complete " + cut + " || echo cut; http_body " + cut)).isEqualTo("cut\necho half\nrm -rf /tm");
    }

    @Test
    void anExchangeWithTheRightServerGetsTheScriptAndWithAnotherCasCertificateSendsNothing() throws Exception {
        SiteCa site = SiteCa.create(dir.resolve("site"), "Site CA");
        SiteCa other = SiteCa.create(dir.resolve("other"), "Other CA");
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost boot.example\n");
        String script = "echo from the server\nexit 4\n";
        try (ScriptServer good = new ScriptServer(site.issue("boot.example"), "J1", "secret-token", script);
                ScriptServer bad = new ScriptServer(other.issue("boot.example"), "J1", "secret-token", script)) {
            String set = "CA=" + site.certificate() + " TMP=" + dir + " host=boot.example addr=127.0.0.1 job=J1 "
                    + "token=secret-token nicmac=52:54:00:aa:bb:cc; ";
            String fetch = "http_request GET /job/J1/script > $TMP/request; if exchange $TMP/request $TMP/response; "
                    + "then echo \"code $(http_code $TMP/response)\"; http_body $TMP/response; else echo \"$why\"; fi";

            String fetched = inOwnMountNamespace(hosts, set + "port=" + good.port() + "; " + fetch);
            assertThat(fetched).isEqualTo("code 200\n" + script);
            assertThat(good.requests()).singleElement().satisfies(r -> {
                assertThat(r.path()).isEqualTo("/job/J1/script");
                assertThat(r.authorization()).isEqualTo("Bearer secret-token");
                assertThat(r.mac()).isEqualTo("52:54:00:aa:bb:cc");
            });

            String refused = inOwnMountNamespace(hosts, set + "port=" + bad.port() + "; " + fetch);
            assertThat(refused).startsWith("the server's certificate does not verify for boot.example against " + site.certificate())
                    .endsWith(": the token was not sent\n");
            assertThat(bad.requests()).isEmpty();
            assertThat(dir.resolve("request")).doesNotExist();
        }
    }

    private String inOwnMountNamespace(Path hosts, String commands) throws Exception {
        Proc.requireRoot();
        Path script = Files.writeString(dir.resolve("exchange.sh"), ". " + functions() + "\n" + commands + "\n");
        Proc.Outcome o = Proc.run(Duration.ofSeconds(60), List.of(Proc.require("unshare", "util-linux"), "-m", "/bin/sh", "-c",
                "mount --bind " + hosts + " /etc/hosts && exec " + busybox() + " sh " + script));
        assertThat(o.exit()).as(o.toString()).isZero();
        return o.out();
    }

    private String sh(String commands) {
        try {
            Path script = Files.writeString(dir.resolve("t.sh"), ". " + functions() + "\n" + commands + "\n");
            Proc.Outcome o = Proc.run(Proc.SETUP_LIMIT, List.of(busybox(), "sh", script.toString()));
            return o.out() + o.err();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private Path functions() throws java.io.IOException {
        return Files.writeString(dir.resolve("recovery.sh"), RecoveryInit.FUNCTIONS);
    }

    private static String busybox() {
        return Proc.require("/bin/busybox", "busybox-static");
    }
}
