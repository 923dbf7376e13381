package org.ctys.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

class XlTest {
    private final Xl xl = new Xl();

    // xl(1) of Xen 4.17 (docs/man/xl.1.pod.in, "list"), the example, with the tabs of
    // tools/xl/xl_info.c list_domains ("Name  …  ID   Mem VCPUs\tState\tTime(s)") and its row format
    // "%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f".
    static final String XL_LIST = """
            Name                                        ID   Mem VCPUs\tState\tTime(s)
            Domain-0                                     0   750     4     r-----   11794.3
            win                                          1  1019     1     r-----       0.3
            linux                                        2  2048     2     r-----    5624.2
            """;

    @Test
    void readsTheDocumentedTableWithoutDomain0() {
        String out = XL_LIST + "# autostart\nname = \"linux\"\n# saved\n";
        assertThat(xl.parseList(out)).containsExactly(
                new Guest("win", GuestState.RUNNING, "1", 1019L * 1024, 1, false),
                new Guest("linux", GuestState.RUNNING, "2", 2048L * 1024, 2, true));
    }

    @Test
    void savedAndAutostartGuestsThatDoNotRunAreListed() {
        String out = XL_LIST + "# autostart\nname = 'db 1'  # the database\nname =\"win\";\n# saved\nmail\nwin\n";
        assertThat(xl.parseList(out)).containsExactly(
                new Guest("win", GuestState.RUNNING, "1", 1019L * 1024, 1, true),
                new Guest("linux", GuestState.RUNNING, "2", 2048L * 1024, 2, false),
                new Guest("mail", GuestState.SAVED, null, null, null, false),
                new Guest("db 1", GuestState.OFF, null, null, null, true));
    }

    @Test
    void namesWithSpacesAndLongNamesKeepTheirColumns() {
        String out = """
                Name                                        ID   Mem VCPUs\tState\tTime(s)
                -x it's  a                                   7   256     1     --p---       1.0
                a-very-long-guest-name-beyond-forty-columns-x    12   128     1     -b----       0.0
                # autostart
                # saved
                """;
        assertThat(xl.parseList(out)).containsExactly(
                new Guest("-x it's  a", GuestState.PAUSED, "7", 256L * 1024, 1, false),
                new Guest("a-very-long-guest-name-beyond-forty-columns-x", GuestState.RUNNING, "12", 128L * 1024, 1, false));
    }

    @Test
    void stateLettersStandInTheirPlaces() {
        assertThat(XlList.state("r-----")).isEqualTo(GuestState.RUNNING);
        assertThat(XlList.state("-b----")).isEqualTo(GuestState.RUNNING);
        assertThat(XlList.state("------")).isEqualTo(GuestState.RUNNING);
        assertThat(XlList.state("--p---")).isEqualTo(GuestState.PAUSED);
        assertThat(XlList.state("---s--")).isEqualTo(GuestState.SHUTTING_DOWN);
        assertThat(XlList.state("---sr-")).isEqualTo(GuestState.SHUTTING_DOWN); // shut down for a reboot
        assertThat(XlList.state("---sc-")).isEqualTo(GuestState.CRASHED);
        assertThat(XlList.state("-b---d")).isEqualTo(GuestState.SHUTTING_DOWN);
        assertThat(XlList.state("--ps--")).isEqualTo(GuestState.SHUTTING_DOWN);
    }

    /** The host names its guests: a name that looks like columns is still one name, read from the right. */
    @Test
    void aNameThatLooksLikeColumnsIsOneGuestNotAnotherOrDomain0() {
        String table = "Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
                + "Domain-0                                     0   750     4     r-----   11794.3\n"
                + "web                                          1  1019     1     r-----       0.3\n"
                + "web 1 1 1 r----- 1.0                         9   256     1     r-----       2.0\n"
                + "quiet 0 1 1 r----- 1.0                      10   256     1     -b----       4.0  \n";
        assertThat(XlList.parseTable(table)).extracting(Guest::name, Guest::id)
                .containsExactly(tuple("web", "1"), tuple("web 1 1 1 r----- 1.0", "9"), tuple("quiet 0 1 1 r----- 1.0", "10"));
    }

    /** xl takes an all-digit word for a domain id: asked for guest "7", it may print domain 7's row, which is not the guest. */
    @Test
    void aStateRowOfAnotherGuestIsNoAnswer() {
        String other = "Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
                + "x5                                           7   512     2     r-----      10.5\n";
        assertThatThrownBy(() -> xl.parseState("7", other, "", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("xl list 7 printed the row of 'x5'");
    }

    @Test
    void readsTheStateOfOneGuest() {
        String one = "Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
                + "web1                                         3   512     2     --p---      10.5\n";
        assertThat(xl.parseState("web1", one, "", 0)).isEqualTo(GuestState.PAUSED);
        // xl_utils.c find_domain: fprintf(stderr, "%s is an invalid domain identifier (rc=%d)\n", p, rc); exit(EXIT_FAILURE)
        assertThat(xl.parseState("web1", "", "web1 is an invalid domain identifier (rc=-6)\n", 1)).isEqualTo(GuestState.ABSENT);
        assertThat(xl.parseState("web1", "", "Error: Domain '3' does not exist.\n", 1)).isEqualTo(GuestState.ABSENT);
        assertThatThrownBy(() -> xl.parseState("web1", "", "libxl_domain_info failed (code -3).\n", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("libxl_domain_info failed");
        assertThatThrownBy(() -> xl.parseState("web1", "", "sh: 1: xl: not found\n", 127))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("127");
    }

    @Test
    void garbageIsAnErrorNamingTheLine() {
        assertThatThrownBy(() -> xl.parseList(XL_LIST + "web2  x  y\n# autostart\n# saved\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"web2  x  y\"");
        assertThatThrownBy(() -> xl.parseList("hello\n# autostart\n# saved\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"hello\"");
        assertThatThrownBy(() -> xl.parseList(XL_LIST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("# autostart");
        assertThatThrownBy(() -> xl.parseList(XL_LIST + "# autostart\nname = web1\n# saved\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"name = web1\"");
    }

    @Test
    void commandsReadAsTyped() {
        assertThat(xl.state(null, "web1")).isEqualTo("xl list web1");
        assertThat(xl.shutdown(null, "web1")).isEqualTo("xl shutdown -F web1");
        assertThat(xl.reset(null, "web1")).isEqualTo("xl trigger web1 reset");
        assertThat(xl.destroy(null, "web1")).isEqualTo("xl destroy web1");
        assertThat(xl.pause(null, "web1")).isEqualTo("xl pause web1");
        assertThat(xl.unpause(null, "web1")).isEqualTo("xl unpause web1");
        assertThat(xl.save(null, "web1")).isEqualTo("mkdir -p /var/lib/xen/save && xl save web1 /var/lib/xen/save/web1");
        assertThat(xl.restore(null, "web1")).isEqualTo("xl restore /var/lib/xen/save/web1 && rm -f /var/lib/xen/save/web1");
        assertThat(xl.start(null, "web1")).isEqualTo("xl create /etc/xen/web1.cfg");
        assertThat(xl.create(null, "/srv/xen/a b.cfg")).isEqualTo("xl create '/srv/xen/a b.cfg'"
                + " && sed -n 's/^[[:space:]]*name[[:space:]]*=/name =/p' '/srv/xen/a b.cfg'");
        assertThat(xl.createdName("name = \"web 1\"\n", "", "/srv/xen/a b.cfg")).isEqualTo("web 1");
        assertThat(xl.createdName("", "Parsing config from x\n", "x")).isNull();
        assertThat(xl.details(null)).isEqualTo("xl list -l");
        assertThat(xl.shutdown(null, "-x it's")).isEqualTo("xl shutdown -F -- '-x it'\\''s'");
        assertThat(xl.list(null)).startsWith("xl list && echo '# autostart' && for f in /etc/xen/auto/*;");
    }

    // The shape of `xl list -l` in Xen 4.17: xl_info.c printf_info_one_json writes {"domid", "config"};
    // the config is libxl_domain_config_gen_json (libxl_types.idl, gentypes.py: a keyed union's key is
    // "type.hvm"; defbools are "True"/"False"/"<default>"; fields at their default are left out).
    static final String XL_LIST_L = """
            [
                {
                    "domid": 0,
                    "config": { "c_info": { "name": "Domain-0" } }
                },
                {
                    "domid": 5,
                    "config": {
                        "c_info": { "type": "pv", "name": "web1", "uuid": "6695eb01-f6a4-8304-79aa-97f2502e193f" },
                        "b_info": { "max_vcpus": 2, "type.pv": { } },
                        "nics": [ { "devid": 0, "mac": "00:16:3E:00:00:01", "bridge": "xenbr0" }, { "devid": 1, "mac": "00:16:3e:00:00:02" } ],
                        "vfbs": [ { "devid": 0, "vnc": { "enable": "True", "listen": "127.0.0.1", "display": 2, "findunused": "False" } } ]
                    }
                },
                {
                    "domid": 6,
                    "config": {
                        "c_info": { "type": "hvm", "name": "win" },
                        "b_info": { "type.hvm": { "vnc": { "enable": "True", "findunused": "True" }, "serial": "pty" } }
                    }
                },
                {
                    "domid": 7,
                    "config": { "c_info": { "type": "pvh", "name": "tiny" } }
                }
            ]
            """;

    @Test
    void detailsFromXlListLong() {
        assertThat(xl.parseDetails(XL_LIST_L)).containsExactly(
                new GuestDetails("web1", List.of("00:16:3e:00:00:01", "00:16:3e:00:00:02"), List.of("serial", "vnc:127.0.0.1:5902")),
                new GuestDetails("win", List.of(), List.of("serial", "vnc")),
                new GuestDetails("tiny", List.of(), List.of("serial")));
    }

    @Test
    void detailsThatAreNotJsonAreNamed() {
        assertThatThrownBy(() -> xl.parseDetails("(domain\n    (domid 1)\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"(domain\"");
        assertThatThrownBy(() -> xl.parseDetails("[{\"domid\": 1, \"config\": {}}]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c_info.name");
    }
}
