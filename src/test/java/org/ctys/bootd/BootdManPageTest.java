package org.ctys.bootd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ctys-bootd(8) is written by hand; these keep it from drifting from --help and the configuration reader. */
class BootdManPageTest {

    private static String page() throws Exception {
        return Files.readString(Path.of("man", "ctys-bootd.8")).replace("\\-", "-").replace("\\e", "\\");
    }

    private static String help() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Bootd.run(new String[] {"--help"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertThat(status).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theManPageHasTheSynopsisEveryOptionJobCommandAndExitStatusOfHelp() throws Exception {
        String man = page();
        String help = help();
        assertThat(help).startsWith("usage: " + Bootd.SYNOPSIS + "\n       " + Bootd.JOB_SYNOPSIS + "\n");
        assertThat(man).contains(".SH SYNOPSIS\n.B " + Bootd.SYNOPSIS + "\n.br\n.B " + Bootd.JOB_SYNOPSIS + "\n");
        for (String[][] table : new String[][][] {Bootd.OPTIONS, Bootd.JOBS}) {
            for (String[] o : table) {
                assertThat(help).contains(o[0]).contains(o[1]);
                assertThat(man).as("ctys-bootd(8) documents " + o[0]).contains(".TP\n.B " + o[0] + "\n" + o[1] + "\n");
            }
        }
        for (String[] s : Bootd.STATUSES) {
            assertThat(help).contains(String.format("  %-3s %s", s[0], s[1]));
            assertThat(man).contains(".TP\n.B " + s[0] + "\n" + s[1] + "\n");
        }
    }

    @Test
    void theManPageDocumentsEveryConfigurationKeyAndItsExampleIsValid(@TempDir Path dir) throws Exception {
        String man = page();
        for (String key : BootdConfigReader.KEYS) assertThat(man).as("documents '" + key + "'").contains(".TP\n.B " + key + "\n");
        String example = man.substring(man.indexOf(".SH EXAMPLE\n.nf\n") + ".SH EXAMPLE\n.nf\n".length(),
                man.indexOf(".fi\n", man.indexOf(".SH EXAMPLE")));
        Path file = dir.resolve("bootd.yaml");
        Files.writeString(file, example);
        BootdConfig c = BootdConfigReader.read(file);
        assertThat(c.name()).isEqualTo("boot.example");
        assertThat(c.https().port()).isEqualTo(8443);
        assertThat(c.image()).isEqualTo(Path.of("/var/lib/ctys-bootd/image"));
    }
}
