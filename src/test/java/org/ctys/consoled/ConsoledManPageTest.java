package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ctys-consoled(8) and ctys-consoled.yaml(5) are written by hand; these keep them from drifting from --help and the reader. */
class ConsoledManPageTest {

    private static String page(String name) throws Exception {
        return Files.readString(Path.of("man", name)).replace("\\-", "-");
    }

    private static String help() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Consoled.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of(), null);
        assertThat(status).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theManPageHasTheSynopsisEveryOptionAndEveryExitStatusOfHelp() throws Exception {
        String man = page("ctys-consoled.8");
        String help = help();
        assertThat(help).startsWith("usage: " + Consoled.SYNOPSIS + "\n");
        assertThat(man).contains(".SH SYNOPSIS\n.B " + Consoled.SYNOPSIS + "\n");
        for (String[] o : Consoled.OPTIONS) {
            assertThat(help).contains(String.format("  %-24s %s", o[0], o[1]));
            assertThat(man).as("ctys-consoled(8) documents " + o[0]).contains(".TP\n.B " + o[0] + "\n" + o[1] + "\n");
        }
        for (String[] s : Consoled.STATUSES) {
            assertThat(help).contains(String.format("  %-3s %s", s[0], s[1]));
            assertThat(man).contains(".TP\n.B " + s[0] + "\n" + s[1] + "\n");
        }
    }

    @Test
    void theJvmOptionsTheLauncherPassesAreThoseThePageNames() throws Exception {
        String launcher = Files.readString(Path.of("bin", "ctys-consoled"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-XX:CompileThresholdScaling=[0-9.]+").matcher(launcher);
        assertThat(m.find()).as("bin/ctys-consoled passes a compile threshold scaling").isTrue();
        String daemonLine = launcher.lines().filter(l -> l.contains("org.ctys.consoled.Consoled") && l.endsWith("<&0 &"))
                .findFirst().orElseThrow();
        assertThat(daemonLine).as("the daemon's JVM gets it, before the user's options")
                .contains(m.group() + " ${CTYS_CONSOLED_JAVA_OPTS:-}");
        String man = page("ctys-consoled.8");
        assertThat(man).contains(".SH ENVIRONMENT\n.TP\n.B CTYS_CONSOLED_JAVA_OPTS\n").contains(".B " + m.group() + "\n");
    }

    @Test
    void theConfigurationPageDocumentsEveryKeyTheReaderAccepts() throws Exception {
        String man = page("ctys-consoled.yaml.5");
        for (List<String> keys : List.of(ConfigReader.TOP_KEYS, ConfigReader.CONSOLE_KINDS, ConfigReader.ROTATE_KEYS,
                ConfigReader.INVENTORY_KEYS, ConfigReader.USER_KEYS, ConfigReader.GROUP_KEYS, ConfigReader.RULE_KEYS,
                ConfigReader.GUEST_KEYS, ConfigReader.TCP_KEYS, ConfigReader.CONSOLE_KEYS)) {
            for (String key : keys) assertThat(man).as("ctys-consoled.yaml(5) documents '" + key + "'").contains(".B " + key + "\n");
        }
    }

    @Test
    void theConfigurationPagesExampleIsValid(@TempDir Path dir) throws Exception {
        String man = page("ctys-consoled.yaml.5");
        String example = man.substring(man.indexOf(".SH EXAMPLE\n.nf\n") + ".SH EXAMPLE\n.nf\n".length(), man.indexOf(".fi\n",
                man.indexOf(".SH EXAMPLE")));
        Path file = dir.resolve("consoled.yaml");
        Files.writeString(file, example);
        DaemonConfig c = ConfigReader.read(file, Map.of(), dir);
        assertThat(c.consoles()).extracting(ConsoleDef::name).containsExactly("lab07", "lab08", "web1", "pdu1", "ts1-3");
    }

    @Test
    void usageErrorsAreOneLineAndStatusTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Consoled.run(new String[] {"--check", "--reload"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), null);
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("ctys-consoled: --check and --reload exclude each other\nusage: ");
    }
}
