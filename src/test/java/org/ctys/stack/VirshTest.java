package org.ctys.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VirshTest {
    private final Virsh virsh = new Virsh();

    // Captured from virsh 9.0.0 (Debian libvirt-clients) with LC_ALL=C against libvirt's test driver:
    //   uuids=$(virsh -c test:///…/virsh-test-node.xml list --all --uuid) && for u in $uuids; do virsh … dominfo "$u"; done
    // (what Virsh.list prints now, the dominfo of all domains from one virsh process, is the same text)
    // (the node file is src/test/resources/org/ctys/stack/virsh-test-node.xml)
    static final String DOMINFO = """
            Id:             1
            Name:           web1
            UUID:           0b6d6c1e-0000-4000-8000-000000000001
            OS Type:        linux
            State:          running
            CPU(s):         2
            CPU time:       1795992520.5s
            Max memory:     1048576 KiB
            Used memory:    524288 KiB
            Persistent:     yes
            Autostart:      disable
            Managed save:   no
            Security model: testSecurity
            Security DOI:  \s
            Security label: libvirt-test (enforcing)

            Id:             2
            Name:           -x it's
            UUID:           0b6d6c1e-0000-4000-8000-000000000003
            OS Type:        linux
            State:          paused
            CPU(s):         1
            CPU time:       1795992520.6s
            Max memory:     262144 KiB
            Used memory:    262144 KiB
            Persistent:     yes
            Autostart:      disable
            Managed save:   no
            Security model: testSecurity
            Security DOI:  \s
            Security label: libvirt-test (enforcing)

            Id:             -
            Name:           my vm
            UUID:           0b6d6c1e-0000-4000-8000-000000000002
            OS Type:        linux
            State:          shut off
            CPU(s):         1
            CPU time:       1795992520.6s
            Max memory:     262144 KiB
            Used memory:    262144 KiB
            Persistent:     yes
            Autostart:      disable
            Managed save:   no
            Security model: testSecurity
            Security DOI:  \s

            """;

    // Captured from virsh 9.0.0: virsh -c test:///default 'managedsave test; autostart test; dominfo test'
    // (one virsh process: the test driver forgets everything between processes)
    static final String DOMINFO_SAVED = """
            Id:             -
            Name:           test
            UUID:           6695eb01-f6a4-8304-79aa-97f2502e193f
            OS Type:        linux
            State:          shut off
            CPU(s):         2
            CPU time:       1795992385.3s
            Max memory:     8388608 KiB
            Used memory:    2097152 KiB
            Persistent:     yes
            Autostart:      enable
            Managed save:   yes
            Security model: testSecurity
            Security DOI:  \s

            """;

    // virsh 9 prints the further lines of "Messages:" with an empty key (virsh-domain-monitor.c cmdDominfo)
    static final String DOMINFO_MESSAGES = """
            Id:             3
            Name:           tainted
            State:          idle
            Messages:       tainted: custom monitor control commands issued
                            tainted: use of deprecated configuration settings
            """;

    @Test
    void lifecycleEventsSayTheStateTheirGuestEntered() {
        assertThat(virsh.watched("web1", "event 'lifecycle' for domain 'web1': Stopped Shutdown")).isEqualTo(GuestState.OFF);
        assertThat(virsh.watched("web1", "event 'lifecycle' for domain 'web1': Stopped Destroyed")).isEqualTo(GuestState.OFF);
        assertThat(virsh.watched("web1", "event 'lifecycle' for domain 'web1': Stopped Saved")).isEqualTo(GuestState.OFF);
        assertThat(virsh.watched("web1", "event 'lifecycle' for domain 'web1': Started Booted")).isEqualTo(GuestState.RUNNING);
        assertThat(virsh.watched("web1", "event 'lifecycle' for domain 'web1': Resumed Unpaused")).isEqualTo(GuestState.RUNNING);
        assertThat(virsh.watched("web1", "event 'lifecycle' for domain 'web1': Suspended Paused")).isEqualTo(GuestState.PAUSED);
        // the guest's system is done, its QEMU maybe not: not off yet
        assertThat(virsh.watched("web1", "event 'lifecycle' for domain 'web1': Shutdown Finished after guest request")).isNull();
        assertThat(virsh.watched("web1", "event 'lifecycle' for domain 'web1': Undefined Removed")).isNull();
    }

    @Test
    void anEventIsAboutExactlyOneGuest() {
        assertThat(virsh.watched("web1", "event 'lifecycle' for domain 'web10': Stopped Shutdown")).isNull();
        assertThat(virsh.watched("web10", "event 'lifecycle' for domain 'web1': Stopped Shutdown")).isNull();
        assertThat(virsh.watched("web1", "event 'reboot' for domain 'web1'")).isNull();
        // a name with quotes in it cannot make another guest's line read as this one's
        assertThat(virsh.watched("a", "event 'lifecycle' for domain 'a': Stopped x': Started Booted")).isNull();
        assertThat(virsh.watched("a': Stopped x", "event 'lifecycle' for domain 'a': Stopped x': Started Booted"))
                .isEqualTo(GuestState.RUNNING);
        assertThat(virsh.watched("web1", "")).isNull();
    }

    @Test
    void theWatchEndsWhenItsInputCloses() {
        assertThat(virsh.watch("qemu:///system")).isEqualTo("LC_ALL=C.UTF-8 LANGUAGE= virsh -c qemu:///system event --loop --event lifecycle"
                + " </dev/null & p=$!; cat >/dev/null; kill $p 2>/dev/null; wait $p");
        assertThat(new Xl().watch("")).isNull();
    }

    @Test
    void theNameOfACreatedGuestIsReadFromWhatVirshSays() {
        // virsh 9.0, libvirt's test driver: virsh -c test:///default create /tmp/d.xml
        assertThat(virsh.createdName("Domain 'my vm2' created from /tmp/d.xml\n\n", "", "/tmp/d.xml")).isEqualTo("my vm2");
        assertThat(virsh.createdName("", "error: failed to create domain\n", "/tmp/d.xml")).isNull();
    }

    @Test
    void readsCapturedDominfo() {
        assertThat(virsh.parseList(DOMINFO)).containsExactly(
                new Guest("web1", GuestState.RUNNING, "1", 524288L, 2, false),
                new Guest("-x it's", GuestState.PAUSED, "2", 262144L, 1, false),
                new Guest("my vm", GuestState.OFF, null, 262144L, 1, false));
    }

    @Test
    void aShutOffDomainWithAManagedSaveIsSaved() {
        assertThat(virsh.parseList(DOMINFO_SAVED)).containsExactly(
                new Guest("test", GuestState.SAVED, null, 2097152L, 2, true));
    }

    @Test
    void skipsTheFurtherLinesOfMessagesAndReadsIdleAsRunning() {
        assertThat(virsh.parseList(DOMINFO_MESSAGES)).containsExactly(
                new Guest("tainted", GuestState.RUNNING, "3", null, null, null));
    }

    @Test
    void garbageIsAnErrorNamingTheLine() {
        assertThatThrownBy(() -> virsh.parseList("Name:           a\nState:          running\nId: 1\nwhat is this\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"what is this\"");
        assertThatThrownBy(() -> virsh.parseList("Id:             1\nName:           a\nState:          läuft\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("läuft");
        assertThatThrownBy(() -> virsh.parseList("Id: 1\nState:          running\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Name:");
    }

    // Captured from virsh 9.0.0 with LC_ALL=C: virsh -c test:///…/virsh-test-node.xml domstats --state
    static final String DOMSTATS = """
            Domain: 'web1'
              state.state=1
              state.reason=0

            Domain: 'my vm'
              state.state=5
              state.reason=0

            Domain: '-x it's'
              state.state=3
              state.reason=0

            """;

    @Test
    void readsEachGuestsStateFromTheHostsDomstats() {
        assertThat(virsh.parseState("web1", DOMSTATS, "", 0)).isEqualTo(GuestState.RUNNING);
        assertThat(virsh.parseState("my vm", DOMSTATS, "", 0)).isEqualTo(GuestState.OFF);
        assertThat(virsh.parseState("-x it's", DOMSTATS, "", 0)).isEqualTo(GuestState.PAUSED);
        // a name is read whole: neither a prefix nor a quote-less part of another is that domain
        assertThat(virsh.parseState("-x it", DOMSTATS, "", 0)).isEqualTo(GuestState.ABSENT);
        assertThat(virsh.parseState("my", DOMSTATS, "", 0)).isEqualTo(GuestState.ABSENT);
        assertThat(virsh.parseState("nosuch", DOMSTATS, "", 0)).isEqualTo(GuestState.ABSENT);
        assertThat(virsh.parseState("nosuch", "", "", 0)).isEqualTo(GuestState.ABSENT);
        // the other values of libvirt's virDomainState (libvirt-domain.h), as domstate's words read
        String[] words = {"other", "running", "running", "paused", "in shutdown", "shut off", "crashed", "other"};
        for (int n = 0; n < words.length; n++) {
            String one = "Domain: 'a'\n  state.state=" + n + "\n  state.reason=1\n\n";
            assertThat(virsh.parseState("a", one, "", 0).text()).as("state %d", n).isEqualTo(words[n]);
        }
    }

    @Test
    void theHostsStatesListEveryGuestInVirshsOrderAndAManagedSavedOneAsSaved() {
        // captured from virsh 9.0.0, LC_ALL=C: list --all --managed-save (test:///default, after managedsave of one domain)
        String table = " Id   Name      State\n--------------------------\n 2    web2      running\n 1    -x it's   paused\n"
                + " -    my vm     shut off\n -    test      saved\n\n";
        assertThat(virsh.parseStates(table)).extracting(Guest::name, Guest::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("web2", GuestState.RUNNING), org.assertj.core.groups.Tuple.tuple("-x it's", GuestState.PAUSED),
                org.assertj.core.groups.Tuple.tuple("my vm", GuestState.OFF), org.assertj.core.groups.Tuple.tuple("test", GuestState.SAVED));
        assertThat(virsh.parseStates(" Id   Name   State\n--------------------\n\n")).isEmpty();
        assertThatThrownBy(() -> virsh.parseStates("error\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no table");
        assertThatThrownBy(() -> virsh.parseStates(" Id   Name   State\n----\n 1    a   flying\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flying");
    }

    @Test
    void theStatesCommandRunsAsTyped() {
        Proc.Outcome o = Shell.run(virsh.states("test:///default"));
        assertThat(virsh.parseStates(o.out())).extracting(Guest::name, Guest::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("test", GuestState.RUNNING));
    }

    /**
     * libvirt's test driver with a node file: real virsh, real table. In the C locale virsh prints
     * "wéb-ü" as "w\\xff\\xffb-\\xff\\xff" (the name is lost); the listing ctys sends reads it whole.
     * The shell runs with no locale at all, as a root login's command may.
     */
    @Test
    void theStatesCommandReadsANameBeyondAsciiWhole(@TempDir Path dir) throws Exception {
        Path node = Files.writeString(dir.resolve("node.xml"), """
                <node>
                  <domain type='test'><name>wéb-ü</name><memory>65536</memory><os><type>hvm</type></os></domain>
                  <domain type='test'><name>plain</name><memory>65536</memory><os><type>hvm</type></os></domain>
                </node>
                """);
        Proc.Outcome o = Proc.run(java.time.Duration.ofSeconds(30), List.of("env", "-i", "PATH=/usr/bin:/bin", "sh", "-c",
                virsh.states("test://" + node)));
        assertThat(o.exit()).as(o.toString()).isZero();
        assertThat(virsh.parseStates(o.out())).extracting(Guest::name, Guest::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("wéb-ü", GuestState.RUNNING), org.assertj.core.groups.Tuple.tuple("plain", GuestState.RUNNING));
        Proc.Outcome c = Proc.run(java.time.Duration.ofSeconds(30), List.of("env", "-i", "PATH=/usr/bin:/bin", "sh", "-c",
                virsh.states("test://" + node).replace(Virsh.READ, "LC_ALL=C ")));
        assertThat(c.out()).as("what plain C gave").doesNotContain("wéb-ü").contains("\\x");
    }

    /** A host without C.UTF-8 runs virsh in C, and virsh says so first: the error quoted is virsh's own. */
    @Test
    void theSetlocaleWarningOfAHostWithoutCUtf8IsNotTheErrorQuoted() {
        assertThat(Virsh.firstLine("setlocale: No such file or directory\nerror: failed to connect to the hypervisor\n"))
                .isEqualTo("error: failed to connect to the hypervisor");
        assertThat(Virsh.firstLine("setlocale: No such file or directory\n")).isEqualTo("setlocale: No such file or directory");
        assertThatThrownBy(() -> virsh.parseState("a", "", "setlocale: No such file or directory\nerror: no connection", 1))
                .hasMessage("virsh list failed with exit status 1: error: no connection");
    }

    @Test
    void whereTheDriverHasNoDomstatsTheTableOfVirshListServes() {
        // libvirt's LXC driver: "this function is not supported by the connection driver: virConnectGetAllDomainStats";
        // captured from virsh 9.0.0, LC_ALL=C: virsh -c test:///…/virsh-test-node.xml list --all
        String table = " Id   Name      State\n--------------------------\n 1    web1      running\n 2    -x it's   paused\n"
                + " -    my vm     shut off\n\n";
        assertThat(virsh.parseState("web1", table, "", 0)).isEqualTo(GuestState.RUNNING);
        assertThat(virsh.parseState("-x it's", table, "", 0)).isEqualTo(GuestState.PAUSED);
        assertThat(virsh.parseState("my vm", table, "", 0)).isEqualTo(GuestState.OFF);
        assertThat(virsh.parseState("my", table, "", 0)).isEqualTo(GuestState.ABSENT);
        assertThatThrownBy(() -> virsh.parseState("a", " Id   Name   State\n----\n 1    a   flying\n", "", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flying");
    }

    @Test
    void theStateCommandRunsAsTyped() {
        // the QEMU-like test driver has domstats; the LXC fallback to the table is proven by NestedStackIT
        Proc.Outcome o = Shell.run(virsh.state("test:///default", "test"));
        assertThat(virsh.parseState("test", o.out(), o.err(), o.exit())).isEqualTo(GuestState.RUNNING);
    }

    @Test
    void anyFailureOfDomstatsOrAnythingElseItPrintsIsNamed() {
        // captured: virsh -c test:///nonexist.xml domstats --state → exit 1
        String err = "I/O warning : failed to load external entity \"/nonexist.xml\"\nerror: failed to connect to the hypervisor\n";
        assertThatThrownBy(() -> virsh.parseState("x", "", err, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exit status 1").hasMessageContaining("failed to load external entity");
        assertThatThrownBy(() -> virsh.parseState("a", "Domain: 'a'\n  state.state=8\n", "", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state.state=8");
        assertThatThrownBy(() -> virsh.parseState("a", "läuft\n", "", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"läuft\"");
        assertThatThrownBy(() -> virsh.parseState("a", "  state.state=1\n", "", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before any domain");
    }

    @Test
    void commandsReadAsTyped() {
        String u = "qemu:///system";
        assertThat(virsh.shutdown(u, "web1")).isEqualTo("virsh -c qemu:///system shutdown web1");
        assertThat(virsh.reset(u, "web1")).isEqualTo("virsh -c qemu:///system reset web1");
        assertThat(virsh.destroy(u, "web1")).isEqualTo("virsh -c qemu:///system destroy web1");
        assertThat(virsh.pause(u, "web1")).isEqualTo("virsh -c qemu:///system suspend web1");
        assertThat(virsh.unpause(u, "web1")).isEqualTo("virsh -c qemu:///system resume web1");
        assertThat(virsh.save(u, "web1")).isEqualTo("virsh -c qemu:///system managedsave web1");
        assertThat(virsh.restore(u, "web1")).isEqualTo("virsh -c qemu:///system start web1");
        assertThat(virsh.start(u, "web1")).isEqualTo("virsh -c qemu:///system start web1");
        assertThat(virsh.create(u, "/etc/libvirt/web1.xml")).isEqualTo("LC_ALL=C.UTF-8 LANGUAGE= virsh -c qemu:///system create /etc/libvirt/web1.xml");
        assertThat(virsh.state(u, "web1")).isEqualTo("LC_ALL=C.UTF-8 LANGUAGE= virsh -c qemu:///system domstats --state 2>/dev/null"
                + " || LC_ALL=C.UTF-8 LANGUAGE= virsh -c qemu:///system list --all");
        assertThat(virsh.state(u, "db1")).as("one question for all the host's guests").isEqualTo(virsh.state(u, "web1"));
        assertThat(virsh.shutdown("qemu+ssh://a b/system", "-x it's"))
                .isEqualTo("virsh -c 'qemu+ssh://a b/system' shutdown -- '-x it'\\''s'");
    }

    @Test
    void theListCommandRunsThroughShAgainstLibvirtsTestDriver() {
        Shell.virsh();
        Proc.Outcome o = Shell.run(virsh.list(nodeUri()));
        assertThat(o.exit()).as(o.toString()).isZero();
        assertThat(virsh.parseList(o.out())).as(o.toString()).containsExactlyInAnyOrder(
                new Guest("web1", GuestState.RUNNING, "1", 524288L, 2, false),
                new Guest("-x it's", GuestState.PAUSED, "2", 262144L, 1, false),
                new Guest("my vm", GuestState.OFF, null, 262144L, 1, false));

        Proc.Outcome def = Shell.run(virsh.list("test:///default"));
        assertThat(virsh.parseList(def.out())).as(def.toString())
                .containsExactly(new Guest("test", GuestState.RUNNING, "1", 2097152L, 2, false));
    }

    @Test
    void theListingAndTheDetailsStartTwoVirshProcessesHoweverManyDomains(@TempDir Path dir) throws Exception {
        String real = Shell.virsh();
        Path log = dir.resolve("virsh.log");
        Path wrapper = dir.resolve("virsh");
        // counts every virsh the command line starts, then is that virsh
        Files.writeString(wrapper, "#!/bin/sh\necho x >> '" + log + "'\nexec '" + real + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String commandLine : List.of(virsh.list(nodeUri()), virsh.details(nodeUri()))) {
            Files.deleteIfExists(log);
            Proc.Outcome o = Shell.run(commandLine, Map.of("PATH", dir.toString()));
            assertThat(o.exit()).as(o.toString()).isZero();
            assertThat(Files.readAllLines(log)).as("virsh processes of: " + commandLine).hasSize(2);
        }
    }

    @Test
    void aHostWithoutDomainsListsNothingAndSucceeds(@TempDir Path dir) throws Exception {
        Shell.virsh();
        Path empty = dir.resolve("empty.xml");
        Files.writeString(empty, "<node/>\n");
        Proc.Outcome o = Shell.run(virsh.list("test://" + empty));
        assertThat(o.exit()).as(o.toString()).isZero();
        assertThat(virsh.parseList(o.out())).isEmpty();
    }

    @Test
    void aFailingListingFailsTheWholeCommand() {
        Shell.virsh();
        Proc.Outcome o = Shell.run(virsh.list("test:///nonexistent/node.xml"));
        assertThat(o.exit()).as(o.toString()).isNotZero();
        assertThat(o.out()).isEmpty();
    }

    @Test
    void oddNamesSurviveTheShell() {
        Shell.virsh();
        String uri = nodeUri();
        Proc.Outcome o = Shell.run(virsh.state(uri, "-x it's"));
        assertThat(o.exit()).as(o.toString()).isZero();
        assertThat(virsh.parseState("-x it's", o.out(), o.err(), o.exit())).isEqualTo(GuestState.PAUSED);
        assertThat(virsh.parseState("my vm", o.out(), o.err(), o.exit())).isEqualTo(GuestState.OFF);
        assertThat(virsh.parseState("web1", o.out(), o.err(), o.exit())).isEqualTo(GuestState.RUNNING);
        assertThat(virsh.parseState("-x it", o.out(), o.err(), o.exit())).isEqualTo(GuestState.ABSENT);
        Proc.Outcome failed = Shell.run(virsh.state("test:///nonexistent/node.xml", "web1"));
        assertThatThrownBy(() -> virsh.parseState("web1", failed.out(), failed.err(), failed.exit()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("virsh list failed");
        // actions reach the very domain (each virsh process starts from the node file)
        assertThat(Shell.run(virsh.destroy(uri, "-x it's")).exit()).isZero();
        assertThat(Shell.run(virsh.start(uri, "my vm")).exit()).isZero();
        assertThat(Shell.run(virsh.shutdown(uri, "web1")).exit()).isZero();
    }

    @Test
    void detailsComeFromTheDomainXml() {
        Shell.virsh();
        Proc.Outcome o = Shell.run(virsh.details(nodeUri()));
        assertThat(o.exit()).as(o.toString()).isZero();
        assertThat(virsh.parseDetails(o.out())).containsExactlyInAnyOrder(
                new GuestDetails("web1", List.of("52:54:00:aa:00:01", "52:54:00:aa:00:02"), List.of("serial", "vnc:127.0.0.1:5901")),
                new GuestDetails("my vm", List.of(), List.of("vnc")),
                new GuestDetails("-x it's", List.of(), List.of()));
    }

    @Test
    void domainXmlWithADoctypeIsRefused() {
        String xxe = "<domain type='kvm'>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<name>&e;</name>\n</domain>\n";
        assertThatThrownBy(() -> virsh.parseDetails(xxe)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<domain type='kvm'>");
        assertThatThrownBy(() -> virsh.parseDetails("error: something\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"error: something\"");
        assertThatThrownBy(() -> virsh.parseDetails("<domain type='kvm'>\n<name>a</name>\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without its end");
    }

    @Test
    void theShutdownsOfAHostGoAsOneVirshThatGoesOnPastARefusal() {
        Shell.virsh();
        String command = virsh.shutdownAll(nodeUri(), List.of("web1", "nosuch"));
        assertThat(command).isNotNull();
        Proc.Outcome o = Shell.run(command);
        assertThat(virsh.shutdownTaken("web1", o.out())).as(o.toString()).isTrue();
        assertThat(virsh.shutdownTaken("nosuch", o.out())).isFalse();
        assertThat(virsh.shutdownRefusal("nosuch", o.err())).isEqualTo("error: failed to get domain 'nosuch'");
        assertThat(virsh.shutdownRefusal("web1", o.err())).isNull();
    }

    @Test
    void aRefusalKeepsItsReasonAndNoOtherGuestsWords() {
        // captured from virsh 9.0.0, LC_ALL=C: virsh -c test:///default 'shutdown nosuch; shutdown test; shutdown test'
        String err = """
                error: failed to get domain 'nosuch'
                error: Failed to shutdown domain 'test'
                error: internal error: domain 'test' not running
                """;
        assertThat(virsh.shutdownRefusal("test", err))
                .isEqualTo("error: Failed to shutdown domain 'test'; error: internal error: domain 'test' not running");
        assertThat(virsh.shutdownRefusal("nosuch", err)).isEqualTo("error: failed to get domain 'nosuch'");
        assertThat(virsh.shutdownTaken("test", "Domain 'test' is being shutdown\n")).isTrue();
        assertThat(virsh.shutdownTaken("tes", "Domain 'test' is being shutdown\n")).isFalse();
    }

    @Test
    void oneGuestOrANameVirshWouldSplitIsAskedOnItsOwn() {
        assertThat(virsh.shutdownAll("qemu:///system", List.of("web1"))).isNull();
        assertThat(virsh.shutdownAll("qemu:///system", List.of("web1", "my vm"))).isNull();
        assertThat(virsh.shutdownAll("qemu:///system", List.of("web1", "-x"))).isNull();
        assertThat(virsh.shutdownAll("qemu:///system", List.of("web1", "a;b"))).isNull();
        assertThat(virsh.shutdownAll("qemu:///system", List.of("web1", "web2")))
                .isEqualTo("LC_ALL=C.UTF-8 LANGUAGE= virsh -c qemu:///system 'shutdown --domain web1; shutdown --domain web2'");
    }

    private static String nodeUri() {
        return "test://" + Shell.resource("virsh-test-node.xml");
    }

    /** virsh-util.c: a domain word is an id (a whole number, at least 0), then a UUID, and only then a name. */
    @Test
    void namesVirshWouldReadAsAnIdOrAUuidAreNamedAndNeverBatched() {
        Virsh v = new Virsh();
        assertThat(v.misread("7")).isEqualTo("virsh takes '7' for a domain id before a name");
        assertThat(v.misread("007")).isNotNull();
        assertThat(v.misread("+7")).isNotNull();
        assertThat(v.misread("6695eb01-f6a4-8304-79aa-97f2502e193f")).isEqualTo(
                "virsh takes '6695eb01-f6a4-8304-79aa-97f2502e193f' for a domain's UUID before a name");
        assertThat(v.misread("6695EB01F6A4830479AA97F2502E193F")).isNotNull();
        for (String fine : new String[] {"web1", "-7", "7a", "x7", "6695eb01-f6a4", "6695eb01-f6a4-8304-79aa-97f2502e193fa", "a b"}) {
            assertThat(v.misread(fine)).as(fine).isNull();
        }
        assertThat(v.shutdownAll("qemu:///system", java.util.List.of("web1", "7"))).as("asked one by one: 7 is refused alone").isNull();
        assertThat(v.shutdownAll("qemu:///system", java.util.List.of("web1", "web2"))).isNotNull();
        assertThat(new Xl().misread("7")).isEqualTo("xl takes '7' for a domain id");
        assertThat(new Xl().misread("6695eb01-f6a4-8304-79aa-97f2502e193f")).isNull();
    }

    /** xl's files are named after the guest: a name that is not a file name would have ctys start, or save over, another file. */
    @Test
    void xlRefusesANameThatLeadsOutOfItsDirectories() {
        Xl xl = new Xl();
        for (String bad : new String[] {"../../root/.ssh/authorized_keys", "a/b", "/etc/passwd", ".", ".."}) {
            assertThat(Dialect.notByName(xl, bad)).as(bad).contains("is not a file name");
        }
        for (String fine : new String[] {"web1", "..web", "web..", "a.b", "-x"}) {
            assertThat(Dialect.notByName(xl, fine)).as(fine).isNull();
        }
        assertThat(Dialect.notByName(new Virsh(), "a/b")).as("libvirt keeps no file by the name").isNull();
    }
}
