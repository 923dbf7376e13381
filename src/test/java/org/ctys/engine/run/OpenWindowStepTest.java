package org.ctys.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the engine names this ctys inside a window, and why a window that did not open failed. */
class OpenWindowStepTest {

    @Test
    void withoutTheLauncherItIsTheSameJavaAndClassPath() {
        String saved = System.getProperty("ctys.launcher");
        System.clearProperty("ctys.launcher");
        try {
            List<String> c = Windows.self(List.of("-t", "cli"));
            assertThat(c).startsWith(System.getProperty("java.home") + "/bin/java", "-cp", System.getProperty("java.class.path"),
                    "org.ctys.Main").endsWith("-t", "cli");
            System.setProperty("ctys.launcher", "/bin/sh");
            assertThat(Windows.self(List.of("-t", "cli"))).containsExactly("/bin/sh", "-t", "cli");
        } finally {
            if (saved == null) System.clearProperty("ctys.launcher");
            else System.setProperty("ctys.launcher", saved);
        }
    }

    @Test
    void theTerminalsOwnLastWordIsTheReason() {
        String xterm = """
                Warning: This program is an suid-root program or is being run by the root user.
                The full text of the error or warning message cannot be safely formatted
                xterm: Xt error: Can't open display: %s
                xterm: DISPLAY is not set
                """;
        assertThat(Windows.reason("xterm", xterm)).isEqualTo("xterm: DISPLAY is not set");
        assertThat(Windows.reason("gnome-terminal", "\n# Error: no D-Bus\nmore\n")).isEqualTo("# Error: no D-Bus");
        assertThat(Windows.reason("xterm", "")).isEmpty();
    }
}
