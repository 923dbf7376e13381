package org.ctys.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.ctys.engine.run.VncDisplays.Display;
import org.junit.jupiter.api.Test;

/** Where a display listens, from what ss, virsh and xl print. */
class VncDisplaysTest {

    @Test
    void ssListsTheVncPortsOnlyEachOnceAndReachableFromTheMachine() {
        String ss = """
                LISTEN 0      128          0.0.0.0:22         0.0.0.0:*
                LISTEN 0      5          127.0.0.1:5901       0.0.0.0:*
                LISTEN 0      5              [::1]:5901          [::]:*
                LISTEN 0      5                  *:5903             *:*
                LISTEN 0      5              [::1]:5904          [::]:*
                LISTEN 0      5          10.0.0.5:5905       0.0.0.0:*
                LISTEN 0      5     127.0.0.53%lo:5906       0.0.0.0:*
                LISTEN 0      5          127.0.0.1:6000       0.0.0.0:*
                """;
        assertThat(VncDisplays.listening(ss)).containsExactly(
                java.util.Map.entry(1, new Display("127.0.0.1", 5901)),
                java.util.Map.entry(3, new Display("127.0.0.1", 5903)),
                java.util.Map.entry(4, new Display("::1", 5904)),
                java.util.Map.entry(5, new Display("10.0.0.5", 5905)),
                java.util.Map.entry(6, new Display("127.0.0.1", 5906)));
        assertThat(VncDisplays.listening("")).isEmpty();
    }

    @Test
    void virshVncdisplayIsADisplayNumberOnAnAddress() {
        assertThat(VncDisplays.virsh("127.0.0.1:0\n\n")).isEqualTo(new Display("127.0.0.1", 5900));
        assertThat(VncDisplays.virsh(":3\n")).isEqualTo(new Display("127.0.0.1", 5903));
        assertThat(VncDisplays.virsh("[::1]:2\n")).isEqualTo(new Display("::1", 5902));
        assertThatThrownBy(() -> VncDisplays.virsh("\n")).hasMessageContaining("no display");
        // a host's answer out of range is no display, not a port number ctys would fail on later
        assertThatThrownBy(() -> VncDisplays.virsh(":-5900\n")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> VncDisplays.virsh(":70000\n")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
        assertThat(VncDisplays.virsh(":59635\n")).isEqualTo(new Display("127.0.0.1", 65535));
        assertThatThrownBy(() -> VncDisplays.xl(List.of("vnc:1.2.3.4:99999"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VncDisplays.xl(List.of("vnc:nocolon"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void xlGivesAFixedDisplayOnly() {
        assertThat(VncDisplays.xl(List.of("serial", "vnc:127.0.0.1:5902"))).contains(new Display("127.0.0.1", 5902));
        assertThat(VncDisplays.xl(List.of("serial", "vnc"))).isEmpty();
    }
}
