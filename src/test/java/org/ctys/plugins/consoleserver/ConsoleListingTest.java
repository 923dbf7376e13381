package org.ctys.plugins.consoleserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.ctys.spi.Discover;
import org.ctys.spi.Note;
import org.ctys.spi.Output;
import org.ctys.spi.Remote;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;
import org.junit.jupiter.api.Test;

/** How the console server's list --json becomes the report's rows, and what is not such a list. */
class ConsoleListingTest {
    private static final ServerReach SERVER = new ServerReach(new Remote("consoles.example", null, 7022, List.of()),
            "consoles.example:7022");
    static final String LIST = """
            {"consoles":[{"name":"lab07","kind":"serial","endpoint":"serial /dev/ttyS0 115200","state":"up",
              "since":"2026-11-30T08:00:00.123Z","error":null,"writer":"alice","watchers":["bob"],"spies":["carol"],
              "logBytes":12345,"access":"rw"},
             {"name":"lab08","kind":"sol","endpoint":"sol 10.0.0.8","state":"down","since":"2026-11-30T09:00:00Z",
              "error":"BMC 10.0.0.8 does not answer","writer":null,"watchers":[],"spies":[],"logBytes":0,"access":"ro"}]}
            """;

    private static Output out(int status, String stdout, String stderr) {
        return new Output(stdout.getBytes(StandardCharsets.UTF_8), stderr.getBytes(StandardCharsets.UTF_8), status, null);
    }

    private static List<Note> notes(Discover.Expanded e) {
        Step next = e.next();
        return next instanceof Step.Sequence s ? s.steps().stream().map(Note.class::cast).toList() : List.of((Note) next);
    }

    @Test
    void everyConsoleIsARowWithItsStateWhoIsAttachedAndItsLog() {
        Discover.Expanded e = new ConsoleListing(SERVER, List.of()).rows(out(0, LIST, ""));
        assertThat(e.targets()).extracting(Discover.Added::target).containsExactly("lab07", "lab08");
        List<Note> rows = notes(e);
        assertThat(rows.get(0).fields()).containsExactly(Map.entry("server", "consoles.example:7022"), Map.entry("kind", "serial"),
                Map.entry("state", "up"), Map.entry("since", "2026-11-30T08:00:00.123Z"), Map.entry("writer", "alice"),
                Map.entry("watchers", "bob"), Map.entry("spies", "carol"), Map.entry("log", "12.1 KiB"), Map.entry("access", "rw"),
                Map.entry("endpoint", "serial /dev/ttyS0 115200"));
        assertThat(rows.get(0).verdict()).isEqualTo(Verdict.done("up", "up, alice writes, 1 watcher, 1 spy"));
        assertThat(rows.get(1).fields()).containsEntry("writer", "-").containsEntry("watchers", "-")
                .containsEntry("error", "BMC 10.0.0.8 does not answer");
        assertThat(rows.get(1).verdict()).isEqualTo(Verdict.done("down", "down: BMC 10.0.0.8 does not answer"));
        assertThat(rows.get(2).target()).isEqualTo("consoles.example:7022");
        assertThat(rows.get(2).verdict()).isEqualTo(Verdict.done("listed", "2 consoles, 1 up"));
    }

    @Test
    void namesAskedForAreListedAloneAndOneTheServerLacksFails() {
        Discover.Expanded e = new ConsoleListing(SERVER, List.of("LAB08", "lab99")).rows(out(0, LIST, ""));
        assertThat(e.targets()).extracting(Discover.Added::target).containsExactly("lab08", "lab99");
        List<Note> rows = notes(e);
        assertThat(rows.get(1).verdict().effect()).isEqualTo(Verdict.Effect.FAIL);
        assertThat(rows.get(1).verdict().message()).isEqualTo("no console 'lab99' on consoles.example:7022 that you may see");
        assertThat(rows.get(2).verdict().message()).isEqualTo("1 console, 0 up");
    }

    @Test
    void anAnswerThatIsNotAConsoleListIsSaidToBeSo() {
        for (String answer : new String[] {"Welcome to Ubuntu\n$ ", "{\"guests\":[]}", "{\"consoles\":[{\"kind\":\"serial\"}]}",
                "{\"consoles\":[]} trailing", ""}) {
            Discover.Expanded e = new ConsoleListing(SERVER, List.of()).rows(out(0, answer, ""));
            assertThat(e.targets()).as(answer).isEmpty();
            Verdict v = notes(e).get(0).verdict();
            assertThat(v.effect()).as(answer).isEqualTo(Verdict.Effect.FAIL);
            assertThat(v.state()).isEqualTo("not-a-console-server");
            assertThat(v.message()).startsWith("consoles.example:7022 is not a console server: 'list --json' printed no console list");
        }
    }

    @Test
    void theServersRefusalsKeepTheirMeaning() {
        Verdict refused = notes(new ConsoleListing(SERVER, List.of()).rows(out(3, "", "ctys-consoled: not allowed\n"))).get(0).verdict();
        assertThat(refused).isEqualTo(Verdict.refuse("not-allowed", "consoles.example:7022: 'list --json' ended with exit 3:"
                + " ctys-consoled: not allowed"));
        Verdict missing = notes(new ConsoleListing(SERVER, List.of()).rows(out(127, "", "sh: 1: list: not found\n"))).get(0).verdict();
        assertThat(missing.state()).isEqualTo("list-failed");
        assertThat(missing.message()).contains("exit 127: sh: 1: list: not found; is it a console server (ctys-consoled)?");
    }

    @Test
    void anEmptyListIsAnAnswer() {
        Discover.Expanded e = new ConsoleListing(SERVER, List.of()).rows(out(0, "{\"consoles\":[]}\n", ""));
        assertThat(e.targets()).isEmpty();
        assertThat(notes(e).get(0).verdict()).isEqualTo(Verdict.done("listed", "0 consoles, 0 up"));
    }
}
