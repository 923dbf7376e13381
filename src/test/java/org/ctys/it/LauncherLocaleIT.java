package org.ctys.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ctys.testkit.Proc;
import org.ctys.testkit.TestDriverHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/ctys started without any locale (cron, env -i, a container): Java 17 would read its
 * arguments and write its output in ASCII, a guest named "wéb-ü" becoming "w?b-?" both ways. The
 * launcher gives the JVM C.UTF-8's character set there, and leaves a locale the user set alone.
 * Real virsh against libvirt's test driver on this machine (localhost needs no SSH).
 */
class LauncherLocaleIT {
    private static final Path LAUNCHER = Path.of("bin/ctys").toAbsolutePath();

    private static Proc.Outcome bare(Path home, String... envAndArgs) {
        List<String> command = new ArrayList<>(List.of("env", "-i", "PATH=/usr/bin:/bin", "HOME=" + home));
        int i = 0;
        while (i < envAndArgs.length && envAndArgs[i].contains("=") && !envAndArgs[i].startsWith("-")) command.add(envAndArgs[i++]);
        command.add(LAUNCHER.toString());
        command.addAll(List.of(envAndArgs).subList(i, envAndArgs.length));
        return Proc.run(Duration.ofMinutes(2), command);
    }

    @Test
    void withoutALocaleNamesBeyondAsciiPassInAndOutWhole(@TempDir Path home) throws Exception {
        Path inv = TestDriverHost.inventory(home, List.of("wéb-ü"));

        Proc.Outcome list = bare(home, "--inventory", inv.toString(), "-t", "kvm", "-a", "list", "localhost");
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).contains("localhost[wéb-ü]");

        Proc.Outcome dry = bare(home, "--inventory", inv.toString(), "-n", "-t", "kvm", "-a", "cancel=l:wéb-ü", "localhost");
        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("# localhost[wéb-ü]: if wéb-ü runs").contains("shutdown '\\''wéb-ü'\\''");

        // a locale the user chose is theirs: in C, Java 17 writes '?' (what it did everywhere before)
        Proc.Outcome c = bare(home, "LANG=C", "--inventory", inv.toString(), "-t", "kvm", "-a", "list", "localhost");
        assertThat(c.exit()).as(c.toString()).isZero();
        assertThat(c.out()).contains("localhost[w?b-?]");
    }
}
