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
        assertThat(r.err()).contains("4 guests (3 written as a comment: a name the pasted inventory would not take)");

        // the block, pasted under machines:, is an inventory ctys reads, and it knows web1 as localhost's guest
        Path pasted = Files.writeString(home.resolve("pasted.yaml"), "machines:\n" + block(r.out(), "localhost"));
        CliRun dry = CliRun.run(home, Map.of("CTYS_INVENTORY", pasted.toString()), "-n", "-t", "pm", "-a", "cancel", "localhost");
        assertThat(dry.status()).as(Files.readString(pasted) + dry.out() + dry.err()).isZero();
        assertThat(dry.out()).contains("if the inventory's guests of localhost run (web1)");
    }

    /**
     * Two hosts of one run with a guest of the same name, and a guest named like a machine the
     * inventory has: the blocks, pasted together, load; the name is written plain under one host.
     * (localhost and 127.0.0.1 are both this host to ctys: virsh without SSH, each host its own node.)
     */
    @Test
    void theBlocksOfSeveralHostsPastedTogetherLoad() throws Exception {
        Path one = TestDriverHost.inventory(Files.createDirectories(home.resolve("one")), List.of("web1", "db1"));
        Path two = TestDriverHost.inventory(Files.createDirectories(home.resolve("two")), List.of("WEB1", "mail", "app1"));
        String uriOne = Files.readString(one).lines().filter(l -> l.contains("uri:")).findFirst().orElseThrow();
        String uriTwo = Files.readString(two).lines().filter(l -> l.contains("uri:")).findFirst().orElseThrow();
        Path inv = Files.writeString(home.resolve("inventory.yaml"), "machines:\n  localhost:\n    hypervisor: kvm\n" + uriOne
                + "\n  127.0.0.1:\n    hypervisor: kvm\n" + uriTwo + "\n    guests:\n      app1: {}\n  mail:\n    host: 192.0.2.25\n");
        CliRun r = CliRun.run(home, Map.of("CTYS_INVENTORY", inv.toString()), "-t", "kvm", "-a", "enumerate", "localhost", "127.0.0.1");
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        String a = block(r.out(), "localhost");
        String b = block(r.out(), "127.0.0.1");
        // mail is the inventory's already (not 127.0.0.1's guest there); app1 is, and stays plain
        assertThat(b).contains("    # the inventory has a machine of that name already, not as a guest of 127.0.0.1: mail: {}")
                .contains("\n      app1: {}");
        // web1 and WEB1 are one inventory name: plain under the host that answered first, a comment under the other
        boolean firstHere = a.contains("\n      web1: {}");
        assertThat(firstHere ? b : a).contains("    # the same inventory name as a guest of " + (firstHere ? "localhost" : "127.0.0.1")
                + ", written there (one name, one machine): " + (firstHere ? "WEB1" : "web1") + ": {}");
        assertThat(firstHere ? b : a).doesNotContain("\n      " + (firstHere ? "WEB1" : "web1") + ": {}");

        Path pasted = Files.writeString(home.resolve("pasted.yaml"), "machines:\n" + a + b + "  mail:\n    host: 192.0.2.25\n");
        CliRun dry = CliRun.run(home, Map.of("CTYS_INVENTORY", pasted.toString()), "-n", "-t", "pm", "-a", "cancel", "localhost", "127.0.0.1");
        assertThat(dry.status()).as(Files.readString(pasted) + dry.out() + dry.err()).isZero();
        assertThat(dry.out()).contains("if the inventory's guests of 127.0.0.1 run (" + (firstHere ? "" : "WEB1, ") + "app1)");
    }

    /** The block ENUMERATE printed for {@code host}, indented to go under machines:. */
    private static String block(String out, String host) {
        List<String> block = new ArrayList<>();
        for (String line : out.lines().toList()) {
            if (line.equals(host + ":")) block.add(line);
            else if (!block.isEmpty() && line.startsWith("  ")) block.add(line);
            else if (!block.isEmpty()) break;
        }
        assertThat(block).as(out).isNotEmpty();
        return String.join("\n", block.stream().map(l -> "  " + l).toList()) + "\n";
    }
}
