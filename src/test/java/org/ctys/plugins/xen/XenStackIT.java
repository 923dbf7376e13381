package org.ctys.plugins.xen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ctys.testkit.CtysRunner;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * ctys's XEN type end to end: ctys as a process, over real SSH (OpenSSH's sshd on 127.0.0.1), to a
 * host whose sessions run a STAND-IN xl (Xen cannot run on the test machines; the stand-in speaks
 * xl's command line and formats as Xen 4.17 documents them, see {@link StandInXenHost}). Each
 * change is checked on the stand-in's own state and on the commands the host ran, not on what
 * ctys says alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class XenStackIT {
    private static final String WEB1_MAC = "00:16:3e:00:00:01";
    private Path work;
    private StandInXenHost host;
    private CtysRunner ctys;
    private boolean etcXenExisted;
    private boolean varLibXenExisted;

    @BeforeAll
    void start() throws Exception {
        etcXenExisted = Files.exists(Path.of("/etc/xen"));
        varLibXenExisted = Files.exists(Path.of("/var/lib/xen"));
        work = Files.createTempDirectory("ctys-xen-it");
        host = StandInXenHost.onLoopback(work);
        ctys = new CtysRunner(host.home).inventory(host.inventory("lab01", "{web1: {mac: \"" + WEB1_MAC + "\"}}"));
    }

    @AfterAll
    void stop() {
        if (host != null) host.close();
        Proc.deleteTree(work);
    }

    @BeforeEach
    void emptyHost() throws Exception {
        host.reset();
    }

    @AfterEach
    void thisMachineIsUntouched() {
        assertThat(Files.exists(Path.of("/etc/xen"))).as("the machine's /etc/xen").isEqualTo(etcXenExisted);
        assertThat(Files.exists(Path.of("/var/lib/xen"))).as("the machine's /var/lib/xen").isEqualTo(varLibXenExisted);
    }

    private Proc.Outcome ok(String... args) {
        Proc.Outcome r = ctys.run(args);
        assertThat(r.exit()).as("ctys %s\nstdout:\n%s\nstderr:\n%s", String.join(" ", args), r.out(), r.err()).isZero();
        return r;
    }

    private static String all(Proc.Outcome r) { return r.out() + r.err(); }

    @Test
    void createStartsTheGuestFromItsConfigInEtcXenAndConfirmsItRuns() throws Exception {
        host.config("web1", "vif = [ 'mac=" + WEB1_MAC + ",bridge=xenbr0' ]");
        // PING:OFF: the stand-in runs no guest that could answer at web1's address
        Proc.Outcome r = ok("-t", "xen", "-a", "create=l:web1,ping:off", "lab01");
        assertThat(host.row("web1")).as("xl list web1 on the host").contains("-b----");
        assertThat(host.commands()).contains("xl create /etc/xen/web1.cfg").anyMatch(c -> c.equals("xl list web1"));
        assertThat(all(r)).contains("lab01[web1]").contains("running");
        // asked again, it runs already: nothing is typed but the listing
        int before = host.commands().size();
        Proc.Outcome again = ok("-t", "xen", "-a", "create=l:web1,ping:off", "lab01");
        assertThat(all(again)).contains("runs already");
        assertThat(host.commands().subList(before, host.commands().size())).noneMatch(c -> c.startsWith("xl create"));
    }

    @Test
    void createOfAGuestWithoutConfigFailsNamingTheFile() throws Exception {
        Proc.Outcome r = ctys.run("-t", "xen", "-a", "create=l:nosuch,ping:off", "lab01");
        assertThat(r.exit()).as(all(r)).isEqualTo(1);
        assertThat(all(r)).contains("lab01[nosuch]").contains("/etc/xen/nosuch.cfg");
    }

    @Test
    void cancelOfOneGuestShutsItDownAndConfirmsItGone() throws Exception {
        host.config("web1");
        host.config("db1");
        host.start("web1");
        host.start("db1");
        Proc.Outcome r = ok("-t", "xen", "-a", "cancel=l:web1", "lab01");
        assertThat(host.row("web1")).as("web1 after cancel").isNull();
        assertThat(host.row("db1")).as("db1 is left alone").isNotNull();
        assertThat(host.commands()).contains("xl shutdown -F web1").contains("xl list web1");
        assertThat(all(r)).contains("lab01[web1]").contains("shut-off");
    }

    @Test
    void aGuestThatTakesThreeSecondsToStopIsWaitedForByPolling() throws Exception {
        host.config("slow1", "ctys_stop_seconds = 3");
        host.start("slow1");
        Proc.Outcome r = ok("-t", "xen", "-a", "cancel=l:slow1", "lab01");
        assertThat(host.row("slow1")).isNull();
        // the stand-in counts whole seconds: the guest leaves xl list 2 to 3 s after xl shutdown
        assertThat(r.took()).isGreaterThan(Duration.ofSeconds(2));
        long polls = host.commands().stream().filter(c -> c.equals("xl list slow1")).count();
        assertThat(polls).as("xl list slow1 asked while it stopped").isGreaterThan(2);
    }

    @Test
    void aGuestThatIgnoresShutdownFailsAfterTimeoutAndIsDestroyedWithForce() throws Exception {
        host.config("deaf1", "ctys_ignore_shutdown = 1");
        host.start("deaf1");
        Proc.Outcome timedOut = ctys.run("-t", "xen", "-a", "cancel=l:deaf1,timeout:2s", "lab01");
        assertThat(timedOut.exit()).as(all(timedOut)).isEqualTo(1);
        assertThat(all(timedOut)).contains("lab01[deaf1]").contains("still-running");
        assertThat(host.row("deaf1")).as("still there after the timeout").isNotNull();
        assertThat(host.commands()).noneMatch(c -> c.startsWith("xl destroy"));

        Proc.Outcome forced = ok("-t", "xen", "-a", "cancel=l:deaf1,force,timeout:2s", "lab01");
        assertThat(host.row("deaf1")).isNull();
        assertThat(host.commands()).contains("xl destroy deaf1");
        assertThat(all(forced)).contains("lab01[deaf1]").contains("destroyed");
    }

    @Test
    void cancelAllTakesEveryRunningGuestDownAtTheSameTime() throws Exception {
        for (String g : List.of("web1", "db1", "mail1")) {
            host.config(g, "ctys_stop_seconds = 2");
            host.start(g);
        }
        Proc.Outcome r = ok("-t", "xen", "-a", "cancel=all", "lab01");
        for (String g : List.of("web1", "db1", "mail1")) assertThat(host.row(g)).as(g).isNull();
        assertThat(all(r)).contains("3 guests shut down");
        // at the same time: the three shutdowns were typed before the first guest could have gone (1 s at least)
        List<Double> asked = host.commandTimes().stream().filter(c -> c.line().startsWith("xl shutdown")).map(StandInXenHost.Command::at).toList();
        assertThat(asked).hasSize(3);
        assertThat(asked.stream().mapToDouble(d -> d).max().orElseThrow() - asked.stream().mapToDouble(d -> d).min().orElseThrow())
                .as("seconds between the first and the last xl shutdown").isLessThan(1.0);
    }

    @Test
    void suspendSavesToVarLibXenSaveAndResumeRestoresAndRemovesTheFile() throws Exception {
        host.config("web1");
        host.start("web1");
        Path saved = host.varLibXen.resolve("save/web1");
        ok("-t", "xen", "-a", "cancel=l:web1,suspend", "lab01");
        assertThat(saved).as("the save file").exists();
        assertThat(Files.readAllLines(saved).get(0)).isEqualTo("Xen saved domain, xl format");
        assertThat(host.row("web1")).isNull();
        Proc.Outcome listed = ok("-X", "-t", "xen", "-a", "list", "lab01");
        assertThat(listed.out()).contains("saved");

        ok("-t", "xen", "-a", "cancel=l:web1,resume", "lab01");
        assertThat(host.row("web1")).contains("-b----");
        assertThat(saved).as("removed once it runs again").doesNotExist();
        assertThat(host.commands()).contains("xl restore /var/lib/xen/save/web1 && rm -f /var/lib/xen/save/web1");
    }

    @Test
    void pauseAndResume() throws Exception {
        host.config("web1");
        host.start("web1");
        ok("-t", "xen", "-a", "cancel=l:web1,pause", "lab01");
        assertThat(host.row("web1")).contains("--p---");
        ok("-t", "xen", "-a", "cancel=l:web1,resume", "lab01");
        assertThat(host.row("web1")).contains("-b----");
        assertThat(host.commands()).contains("xl pause web1", "xl unpause web1");
    }

    @Test
    void rebootShutsDownAndCreatesAgainConfirmedRunning() throws Exception {
        host.config("web1", "ctys_stop_seconds = 1");
        host.start("web1");
        String before = host.row("web1");
        ok("-t", "xen", "-a", "cancel=l:web1,reboot", "lab01");
        String after = host.row("web1");
        assertThat(after).as("runs again").isNotNull().contains("-b----");
        assertThat(id(after)).as("a new domain id").isNotEqualTo(id(before));
    }

    private static String id(String row) { return row.substring(40).trim().split(" +")[0]; }

    @Test
    void listAsRecordsAndJson() throws Exception {
        host.config("web1");
        host.config("db1", "memory = 256", "vcpus = 1");
        host.start("web1");
        host.start("db1");
        host.xl("pause", "db1");
        Proc.Outcome x = ok("-X", "-t", "xen", "-a", "list", "lab01");
        assertThat(x.out()).contains("web1").contains("db1").contains("paused").contains("running").doesNotContain("Domain-0");
        Proc.Outcome json = ok("--output", "json", "-t", "xen", "-a", "list", "lab01");
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertThat(doc.toString()).contains("\"web1\"").contains("\"db1\"").contains("512MiB").contains("256MiB");
    }

    @Test
    void enumeratePrintsInventoryLinesWithMacs() throws Exception {
        host.config("web1", "vif = [ 'mac=00:16:3E:00:00:01,bridge=xenbr0', 'mac=00:16:3e:00:00:02' ]");
        host.start("web1");
        Proc.Outcome r = ok("-t", "xen", "-a", "enumerate", "lab01");
        assertThat(r.out()).contains("lab01:\n  hypervisor: xen\n  guests:\n")
                .contains("web1: {mac: [00:16:3e:00:00:01, 00:16:3e:00:00:02], console: xl}");
    }

    @Test
    void pmCancelOfAXenMachineTakesItsGuestsDownThroughXlAndLeavesItUp() throws Exception {
        for (String g : List.of("web1", "db1")) {
            host.config(g, "ctys_stop_seconds = 1");
            host.start(g);
        }
        Proc.Outcome r = ok("-t", "pm", "-a", "cancel", "lab01");
        assertThat(host.row("web1")).isNull();
        assertThat(host.row("db1")).isNull();
        assertThat(host.commands()).contains("xl shutdown -F web1", "xl shutdown -F db1");
        assertThat(all(r)).contains("stays up");
    }

    @Test
    void aStackAddressNamingAGuestThatDoesNotExistFailsNamingIt() throws Exception {
        host.config("web1");
        host.start("web1");
        Proc.Outcome r = ctys.run("-t", "xen", "-a", "cancel", "lab01[nosuch]");
        assertThat(r.exit()).as(all(r)).isEqualTo(1);
        assertThat(all(r)).contains("no guest 'nosuch' on lab01").contains("web1");
        assertThat(host.row("web1")).as("the others untouched").isNotNull();
        assertThat(host.commands()).noneMatch(c -> c.startsWith("xl shutdown"));
    }

    @Test
    void theDryRunShowsTheCommandsAPersonWouldTypeAndSendsNothing() throws Exception {
        long logins = host.logins();
        Proc.Outcome r = ok("-n", "-t", "xen", "-a", "cancel=all", "lab01");
        String ssh = "ssh -p " + host.sshd.port + " root@127.0.0.1 ";
        assertThat(r.out()).contains(ssh + "'xl shutdown -F web1'").contains(ssh + "'xl list web1'");
        Proc.Outcome suspend = ok("-n", "-t", "xen", "-a", "cancel=l:web1,suspend", "lab01");
        assertThat(suspend.out()).contains(ssh + "'mkdir -p /var/lib/xen/save && xl save web1 /var/lib/xen/save/web1'");
        Proc.Outcome create = ok("-n", "-t", "xen", "-a", "create=l:web1", "lab01");
        assertThat(create.out()).contains(ssh + "'xl create /etc/xen/web1.cfg'");
        assertThat(host.logins()).as("logins during dry runs").isEqualTo(logins);
        assertThat(host.commands()).isEmpty();
    }
}
