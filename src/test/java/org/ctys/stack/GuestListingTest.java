package org.ctys.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ENUMERATE writes the host's guest names into YAML a user pastes: each stays one key, exactly that name. */
class GuestListingTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyNameTheHostMayReportIsOneKeyOfExactlyThatName() throws Exception {
        List<String> names = List.of("web1", "-x it's", "a\"b\\c", "two\nlines:\n    evil: {host: attacker}", "tab\there",
                "bell\u0007", "café", "# not a comment", "{flow}", "x: y", "lead ", " lead", "line\u2028sep",
                "right\u202eto left");
        StringBuilder doc = new StringBuilder("guests:\n");
        for (String n : names) doc.append("    ").append(GuestListing.yamlKey(n)).append(": {}\n");
        assertThat(doc.toString().lines().count()).as("one line per guest:\n" + doc).isEqualTo(names.size() + 1);
        JsonNode guests = YAML.readTree(doc.toString()).get("guests");
        List<String> read = new ArrayList<>();
        guests.fieldNames().forEachRemaining(read::add);
        assertThat(read).containsExactlyElementsOf(names);
        assertThat(GuestListing.yamlKey("web1")).isEqualTo("web1");
        // what is pasted shows what it is: the override written as an escape, not obeyed by the editor
        assertThat(GuestListing.yamlKey("right\u202eto left")).isEqualTo("\"right\\u202eto left\"");
    }

    /** A comment's text stays on its line: every character a YAML reader takes for a line break is shown as '?'. */
    @Test
    void aCommentKeepsWhatTheHostWroteOnOneLine() throws Exception {
        String text = org.ctys.inventory.YamlText.comment("vnc 127.0.0.1:5901\n  evil: x\u2028  evil2: y\u0085z\tw");
        assertThat(text).isEqualTo("vnc 127.0.0.1:5901?  evil: x?  evil2: y?z?w");
        assertThat(YAML.readTree("a: 1   # " + text + "\n").size()).isEqualTo(1);
    }
}
