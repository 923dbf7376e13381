package org.ctys.plugins.pm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.ctys.inventory.Hypervisor;
import org.ctys.inventory.Machine;
import org.ctys.inventory.SshSettings;
import org.ctys.inventory.WolSettings;
import org.ctys.spi.GenericOptions;
import org.ctys.stack.Stacks;
import org.ctys.stack.Virsh;
import org.ctys.stack.VmHost;
import org.junit.jupiter.api.Test;

/**
 * Which running guests a walk descends into: only the ones the inventory lists as hosts under the
 * host being walked. The names come from the host itself, and a host may call a domain anything.
 */
class NestedHostTest {
    private static final SshSettings SSH = new SshSettings("root", null, List.of());

    private static Machine kvm(String name, String host, Map<String, Machine> guests, String parent) {
        return new Machine(name, host, List.of(), WolSettings.NONE, null, SSH, Hypervisor.KVM, null, guests, null, false, parent);
    }

    @Test
    void aGuestNamedLikeAnotherInventoryHostIsAPlainGuestNotThatHost() {
        Machine vm1 = new Machine("vm1", "vm1", List.of(), WolSettings.NONE, null, SSH, Hypervisor.NONE, null, Map.of(), null, false, "c1");
        Machine c1 = kvm("c1", "10.0.1.5", Map.of("vm1", vm1), "lab01");
        Machine lab01 = kvm("lab01", "10.0.0.1", Map.of("c1", c1), null);
        Machine lab02 = kvm("lab02", "10.0.0.2", Map.of(), null);
        FakeContext ctx = new FakeContext().add(lab01).add(c1).add(vm1).add(lab02);
        Stacks stacks = new Stacks(GenericOptions.defaults(), ctx);
        VmHost onLab01 = VmHost.of(ctx.target("lab01"), new Virsh(), GenericOptions.defaults(), ctx);

        assertThat(stacks.asHost(onLab01, "c1")).as("the inventory's host under lab01").hasValueSatisfying(
                h -> assertThat(h.label()).isEqualTo("lab01[c1]"));
        assertThat(stacks.asHost(onLab01, "lab02")).as("a domain lab01 calls lab02").isEmpty();
        assertThat(stacks.asHost(onLab01, "vm1")).as("not a host").isEmpty();

        VmHost onC1 = stacks.asHost(onLab01, "c1").orElseThrow();
        assertThat(stacks.asHost(onC1, "lab02")).as("nor one level down").isEmpty();
        assertThat(stacks.asHost(onC1, "c1")).as("c1 is lab01's, not its own").isEmpty();
    }

    /**
     * A host may call a domain {@code c1][x}: its row must not be the row of guest {@code x} on the nested host
     * {@code c1}, where its confirmation would stand for that guest's and let c1 go down under a guest that runs.
     */
    @Test
    void aGuestNamedLikeAStackAddressHasARowOfItsOwn() {
        Machine c1 = kvm("c1", "10.0.1.5", Map.of(), "lab01");
        Machine lab01 = kvm("lab01", "10.0.0.1", Map.of("c1", c1), null);
        FakeContext ctx = new FakeContext().add(lab01).add(c1);
        Stacks stacks = new Stacks(GenericOptions.defaults(), ctx);
        VmHost onLab01 = VmHost.of(ctx.target("lab01"), new Virsh(), GenericOptions.defaults(), ctx);
        VmHost onC1 = stacks.asHost(onLab01, "c1").orElseThrow();

        assertThat(onC1.guestLabel("x")).isEqualTo("lab01[c1][x]");
        assertThat(onLab01.guestLabel("c1][x")).isEqualTo("lab01[c1\\x5d\\x5bx]");
        assertThat(onLab01.guestLabel("a\\x5bb")).as("a backslash is written too: every name its own label")
                .isEqualTo("lab01[a\\x5cx5bb]").isNotEqualTo(onLab01.guestLabel("a[b"));
        assertThat(onLab01.guestLabel("web1")).isEqualTo("lab01[web1]");

        org.ctys.stack.Cancel cancel = new org.ctys.stack.Cancel(org.ctys.stack.Mode.POWEROFF, java.time.Duration.ofMinutes(2), false, false, null);
        org.ctys.spi.Discover d = new org.ctys.stack.StackWalk(stacks, cancel).walk(onLab01, "lab01", cancel, (acted, skipped) ->
                new org.ctys.spi.Note("lab01", org.ctys.spi.Verdict.done("host-done", "the host's own step"), Map.of()));
        byte[] listing = (" Id   Name    State\n--------------------\n 1    c1      running\n 2    c1][x   running\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String plan = d.expansion().expand(new org.ctys.spi.Output(listing, new byte[0], 0, null)).next().toString();
        assertThat(plan).contains("lab01[c1\\x5d\\x5bx]").doesNotContain("lab01[c1][x]");
    }

    /** A listing cut at the read cap may end at a line's end and parse: the guests past it would be left running. */
    @Test
    void aListingCutShortIsNoListing() {
        Machine lab01 = kvm("lab01", "10.0.0.1", Map.of(), null);
        FakeContext ctx = new FakeContext().add(lab01);
        VmHost onLab01 = VmHost.of(ctx.target("lab01"), new Virsh(), GenericOptions.defaults(), ctx);
        org.ctys.stack.StackWalk walk = new org.ctys.stack.StackWalk(new Stacks(GenericOptions.defaults(), ctx),
                new org.ctys.stack.Cancel(org.ctys.stack.Mode.POWEROFF, java.time.Duration.ofMinutes(2), false, false, null));
        org.ctys.spi.Discover d = walk.walk(onLab01, "lab01", new org.ctys.stack.Cancel(org.ctys.stack.Mode.POWEROFF,
                java.time.Duration.ofMinutes(2), false, false, null), (acted, skipped) -> new org.ctys.spi.Note("lab01",
                org.ctys.spi.Verdict.done("host-done", "the host's own step"), Map.of()));
        byte[] listing = (" Id   Name   State\n-------------------\n 1    web1   running\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);

        org.ctys.spi.Discover.Expanded whole = d.expansion().expand(new org.ctys.spi.Output(listing, new byte[0], 0, null));
        assertThat(whole.next().toString()).contains("web1").doesNotContain("unreadable");

        org.ctys.spi.Discover.Expanded cut = d.expansion().expand(new org.ctys.spi.Output(org.ctys.spi.Captured.of(listing, 4096),
                org.ctys.spi.Captured.of(new byte[0]), 0, null));
        assertThat(cut.next()).isInstanceOfSatisfying(org.ctys.spi.Note.class, n -> {
            assertThat(n.verdict().effect()).isEqualTo(org.ctys.spi.Verdict.Effect.FAIL);
            assertThat(n.verdict().message()).isEqualTo("virsh printed more on lab01 than ctys reads for a listing; what runs there"
                    + " is not known, nothing was done");
        });
    }
}
