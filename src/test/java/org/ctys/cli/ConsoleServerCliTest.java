package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * -t console on the command line: the plans (the ssh command a person would type, with the command
 * the console server gets), where the server comes from, and every mistake refused with its status
 * before anything is sent.
 */
class ConsoleServerCliTest {
    @TempDir Path home;

    private CliRun run(Map<String, String> env, String... args) { return CliRun.run(home, env, args); }

    private CliRun run(String... args) { return run(Map.of(), args); }

    private Map<String, String> inventory(String yaml) throws IOException {
        Path inv = home.resolve("inventory.yaml");
        Files.writeString(inv, yaml);
        return Map.of("CTYS_INVENTORY", inv.toString());
    }

    @Test
    void createSendsTheConsoleAndItsOptionsOnAPseudoTerminalToTheServersOwnPort() {
        CliRun r = run("-n", "-t", "console", "-a", "create=spy,replay:20,server:alice@consoles.example", "lab07");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("ctys -t CONSOLE -a CREATE: the console lab07 on consoles.example:7022\n"
                + "  ssh -t -p 7022 alice@consoles.example 'lab07 --spy --replay 20'   # ~. leaves; the other ~ escapes go to"
                + " the console server\n");

        assertThat(run("-n", "-t", "console", "-a", "create=force,since:2026-11-30T09:00:00+01:00,server:c.example:7100", "lab07")
                .out()).contains("ssh -t -p 7100 c.example 'lab07 --force --since 2026-11-30T08:00:00Z'");
        assertThat(run("-n", "-t", "console", "-a", "create=since:90,server:c", "lab07").out()).contains("'lab07 --since 90s'");
        assertThat(run("-n", "-t", "console", "-a", "create=since:2H,server:c", "lab07").out()).contains("'lab07 --since 2h'");
    }

    @Test
    void theInventorysConsoleServerIsReachedAsItsMachineEntrySaysButAtTheConsoleServersPort() throws IOException {
        Map<String, String> env = inventory("""
                console-server: consoles
                machines:
                  gw: {host: 10.0.0.1}
                  consoles:
                    host: 10.0.0.9
                    ssh: {user: ops, port: 22, jump: [root@gw]}
                """);
        CliRun r = run(env, "-n", "-t", "console", "-a", "create", "lab07");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("the console lab07 on consoles:7022")
                .contains("ssh -t -J root@gw -p 7022 ops@10.0.0.9 lab07");
        // -l and -J apply as to every SSH step; SERVER: replaces the inventory's server
        assertThat(run(env, "-n", "-l", "alice", "-J", "hop", "-t", "console", "-a", "list").out())
                .contains("ssh -J hop -p 7022 alice@10.0.0.9 'list --json'");
        assertThat(run(env, "-n", "-t", "console", "-a", "list=server:bob@other:7030").out())
                .contains("ctys -t CONSOLE -a LIST: the consoles of other:7030").contains("ssh -p 7030 bob@other 'list --json'");
    }

    @Test
    void withoutAServerNothingIsSentAndTheUserIsToldHowToNameOne() throws IOException {
        CliRun r = run(inventory("machines:\n  lab07: {}\n"), "-t", "console", "-a", "create", "lab07");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.firstErrLine()).startsWith("ctys: no console server: give SERVER:<host>[:<port>] or a top-level"
                + " console-server:").contains(home.resolve("inventory.yaml").toString());
        assertThat(run("-t", "console", "-a", "list").status()).isEqualTo(3);
    }

    @Test
    void badSuboptionsAndTargetsAreUsageErrorsNamingWhatIsWrong() {
        assertUsage(run("-t", "console", "-a", "create=spy,force,server:c", "lab07"), "'force' and 'spy' exclude each other");
        assertUsage(run("-t", "console", "-a", "create=replay:5,since:1h,server:c", "lab07"), "exclude each other");
        assertUsage(run("-t", "console", "-a", "create=replay:0,server:c", "lab07"), "'replay:0': bad count '0'");
        assertUsage(run("-t", "console", "-a", "create=replay:many,server:c", "lab07"), "'replay:many': bad count 'many'");
        assertUsage(run("-t", "console", "-a", "create=since:yesterday,server:c", "lab07"), "'SINCE:yesterday': bad time; expected"
                + " an ISO-8601 instant");
        assertUsage(run("-t", "console", "-a", "create=since:0m,server:c", "lab07"), "'SINCE:0m'");
        assertUsage(run("-t", "console", "-a", "create=server:c:0", "lab07"), "'SERVER:c:0': bad port '0'");
        assertUsage(run("-t", "console", "-a", "create=server:c", "lab07", "lab08"), "a terminal attaches to one console, not 2");
        assertUsage(run("-t", "console", "-a", "create=server:c"), "no console: give the one to attach");
        assertUsage(run("-t", "console", "-a", "create=server:c", "pm01[web1]"), "'pm01[web1]' is a stack address");
        assertUsage(run("-t", "console", "-a", "list=spy,server:c"), "unknown suboption 'spy'");
        // the time is checked before the server is looked for: a usage error, although no server is known either
        assertUsage(run("-t", "console", "-a", "create=since:soon", "lab07"), "'SINCE:soon'");
    }

    @Test
    void listAcceptsConsoleNamesNodeSetsAndNone() {
        CliRun r = run("-n", "-t", "console", "-a", "list=server:c", "lab[07-08]");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("ssh -p 7022 c 'list --json'");
    }

    @Test
    void allTypesLeaveTheConsolesOutTheirTargetsBeingMachines() {
        CliRun all = run("-n", "-T", "all", "-a", "list");
        assertThat(all.status()).as(all.err()).isZero();
        assertThat(all.out()).contains("ctys -t PM -a LIST").doesNotContain("CONSOLE");
        CliRun named = run("-n", "-T", "console", "-a", "list");
        assertThat(named.status()).as("named explicitly, it is asked (and needs its server)").isEqualTo(3);
    }

    @Test
    void theTypesHelpNamesItsEscapesAndStatuses() {
        CliRun help = run("-t", "console", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("create=[SPY],[FORCE],[REPLAY:<n>],[SINCE:<time>],[SERVER:[<user>@]<host>[:<port>]]")
                .contains("~. is ctys's own").contains("not-allowed (exit 3)");
    }

    private static void assertUsage(CliRun r, String message) {
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.firstErrLine()).contains(message);
    }
}
