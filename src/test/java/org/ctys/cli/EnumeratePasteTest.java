package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ctys.testkit.TestDriverHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ENUMERATE's block is pasted into the inventory: it must load, whatever the host's guests are
 * called. Real virsh against libvirt's test driver on this machine (localhost runs virsh without
 * SSH).
 */
class EnumeratePasteTest {
    @TempDir Path home;

    @Test
    void aGuestNamedOutsideTheInventorysNamesIsACommentAndThePasteLoads() throws Exception {
        Path inv = TestDriverHost.inventory(home, List.of("web1", "my vm", "wéb-ü", "WEB1"));
        CliRun r = CliRun.run(home, Map.of("CTYS_INVENTORY", inv.toString()), "-t", "kvm", "-a", "enumerate", "localhost");
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("    web1: {}   # running")
                .contains("    # not an inventory name (letters, digits, '-' and '_', dots between parts").contains("): \"my vm\": {}")
                .contains("): \"wéb-ü\": {}")
                .contains("    # the same inventory name as another guest here (case does not count): WEB1: {}");
        assertThat(r.err()).contains("4 guests (3 with a name the inventory does not take, written as a comment)");

        // the block, pasted under machines:, is an inventory ctys reads, and it knows web1 as localhost's guest
        List<String> block = new ArrayList<>();
        for (String line : r.out().lines().toList()) {
            if (line.equals("localhost:")) block.add(line);
            else if (!block.isEmpty() && line.startsWith("  ")) block.add(line);
            else if (!block.isEmpty()) break;
        }
        Path pasted = Files.writeString(home.resolve("pasted.yaml"),
                "machines:\n" + String.join("\n", block.stream().map(l -> "  " + l).toList()) + "\n");
        CliRun dry = CliRun.run(home, Map.of("CTYS_INVENTORY", pasted.toString()), "-n", "-t", "pm", "-a", "cancel", "localhost");
        assertThat(dry.status()).as(Files.readString(pasted) + dry.out() + dry.err()).isZero();
        assertThat(dry.out()).contains("if the inventory's guests of localhost run (web1)");
    }
}
