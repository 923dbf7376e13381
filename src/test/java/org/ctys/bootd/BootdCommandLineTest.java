package org.ctys.bootd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors (2) and configuration errors (3): one line naming what is wrong, and nothing written to the spool. */
class BootdCommandLineTest {
    @TempDir Path dir;

    private record Run(int status, String out, String err) {}

    private Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Bootd.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path config(String text) throws Exception {
        Path f = dir.resolve("bootd.yaml");
        Files.writeString(f, text);
        return f;
    }

    private static final String GOOD = "name: boot.example\naddress: 10.0.2.2\nhttps: 127.0.0.1:8443\nhttp: 127.0.0.1:8080\n"
            + "certificate: s.crt\nkey: s.key\nca: ca.crt\nspool: spool\n";

    @Test
    void aBadLineOfTheConfigurationIsOneLineNamingFileAndLineAndStatus3() throws Exception {
        String[][] cases = {
            {GOOD.replace("https: 127.0.0.1:8443", "https: 127.0.0.1:99999"), ":3: https is '127.0.0.1:99999'"},
            {GOOD.replace("address: 10.0.2.2", "address: boot.example"), ":2: address is 'boot.example'"},
            {GOOD.replace("name: boot.example", "name: 10.0.2.2"), ":1: name is '10.0.2.2'; expected a host name"},
            {GOOD + "port: 80\n", ":9: "},
            {GOOD.replace("ca: ca.crt\n", ""), ":1: the configuration needs ca: the site CA's certificate (PEM)"},
            {GOOD.replace("http: 127.0.0.1:8080", "http: 127.0.0.1:8443"), ":4: https and http both listen on port 8443"},
            {"", ":1: the file is empty"},
            {GOOD + "console: ttyS1 init=/bin/sh\n", ":9: console is 'ttyS1 init=/bin/sh'; expected the serial line"},
        };
        for (String[] c : cases) {
            Path f = config(c[0]);
            Run r = run("echo hi\n", "--config", f.toString(), "job", "list");
            assertThat(r.status()).as(c[1]).isEqualTo(3);
            assertThat(r.err()).as(c[1]).startsWith("ctys-bootd: " + f + c[1]).hasLineCount(1);
            assertThat(r.out()).isEmpty();
        }
        assertThat(dir.resolve("spool")).doesNotExist();
    }

    @Test
    void aMissingConfigurationIsStatus3() {
        Run r = run("", "--config", dir.resolve("none.yaml").toString(), "--check");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).startsWith("ctys-bootd: ").contains("none.yaml").hasLineCount(1);
    }

    @Test
    void usageErrorsAreStatus2AndNameTheWordBeforeAnythingIsRead() throws Exception {
        Path f = config(GOOD);
        String[][] cases = {
            {"ctys-bootd: --check and --build-image exclude each other", "--check", "--build-image"},
            {"ctys-bootd: --kernel goes with --build-image only", "--kernel", "6.1.0-28-amd64"},
            {"ctys-bootd: job needs a command: add, await, list or cancel", "job"},
            {"ctys-bootd: job add needs --limit DURATION", "job", "add", "--machine", "lab07", "--mac", "52:54:00:12:34:56", "--via", "pxe"},
            {"ctys-bootd: --via 'usb' is not pxe or cdrom", "job", "add", "--via", "usb"},
            {"ctys-bootd: bad MAC address 'zz'", "job", "add", "--mac", "zz"},
            {"ctys-bootd: --machine '../x' is not a machine name", "job", "add", "--machine", "../x"},
            {"ctys-bootd: --limit: bad timeout '0'", "job", "add", "--limit", "0"},
            {"ctys-bootd: job await: 'nope' is not a job id (12 characters a-z and 2-7)", "job", "await", "nope"},
            {"ctys-bootd: job list: unexpected '--yaml' (valid: --json)", "job", "list", "--yaml"},
            {"ctys-bootd: unknown option '--serve'", "--serve"},
        };
        for (String[] c : cases) {
            String[] full = new String[c.length + 1];
            full[0] = "--config";
            full[1] = f.toString();
            System.arraycopy(c, 1, full, 2, c.length - 1);
            Run r = run("", full);
            assertThat(r.status()).as(c[0]).isEqualTo(2);
            assertThat(r.err()).as(c[0]).startsWith(c[0]).contains("\nusage: ctys-bootd");
        }
        assertThat(dir.resolve("spool")).doesNotExist();
    }

    @Test
    void anEmptyScriptIsAUsageErrorAndNoJobIsMade() throws Exception {
        Path f = config(GOOD);
        Run r = run("", "--config", f.toString(), "job", "add", "--machine", "lab07", "--mac", "52:54:00:12:34:56", "--via", "pxe",
                "--limit", "10m");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("ctys-bootd: job add reads the script from standard input; it was empty");
        assertThat(dir.resolve("spool")).doesNotExist();
    }

    @Test
    void jobAddPrintsOneJsonLineAndListAndCancelWorkOnTheSpool() throws Exception {
        Path f = config(GOOD);
        Run added = run("echo hi\n", "--config", f.toString(), "job", "add", "--machine", "lab07", "--mac", "52-54-00-12-34-56",
                "--via", "PXE", "--limit", "10m");
        assertThat(added.status()).isZero();
        assertThat(added.out()).matches("\\{\"job\":\"[a-z2-7]{12}\",\"machine\":\"lab07\",\"via\":\"pxe\",\"expires\":\"[0-9T:.Z-]+\"}\n");
        String id = added.out().substring(8, 20);

        Run again = run("echo hi\n", "--config", f.toString(), "job", "add", "--machine", "lab07", "--mac", "52:54:00:12:34:57",
                "--via", "pxe", "--limit", "10m");
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).startsWith("ctys-bootd: machine lab07 (52:54:00:12:34:56) has job " + id + " pending");

        Run list = run("", "--config", f.toString(), "job", "list");
        assertThat(list.out()).startsWith("JOB  ").contains(id + "  lab07 ").contains(" pending ");
        assertThat(run("", "--config", f.toString(), "job", "cancel", id).out()).startsWith("{\"job\":\"" + id + "\",\"state\":\"cancelled\"");
        Run twice = run("", "--config", f.toString(), "job", "cancel", id);
        assertThat(twice.status()).isEqualTo(1);
        assertThat(twice.err()).isEqualTo("ctys-bootd: job " + id + " is cancelled; nothing to cancel\n");
        Run json = run("", "--config", f.toString(), "job", "list", "--json");
        assertThat(json.out()).contains("\"job\":\"" + id + "\"").contains("\"state\":\"cancelled\"").doesNotContain("token");
        Run await = run("", "--config", f.toString(), "job", "await", id);
        assertThat(await.status()).isEqualTo(1);
        assertThat(await.out()).startsWith("{\"job\":\"" + id + "\",\"state\":\"cancelled\",\"at\":");
    }
}
