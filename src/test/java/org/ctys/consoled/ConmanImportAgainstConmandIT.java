package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctys.testkit.Proc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the same files with Debian's conmand: the lines the import finds malformed are the lines
 * conmand complains about, counted the same way across continued lines, and a file conmand takes
 * without complaint converts without complaint, console for console.
 */
class ConmanImportAgainstConmandIT {

    private static final Pattern CONFIG_ERROR = Pattern.compile("CONFIG\\[[^\\]]*:(\\d+)\\]");

    @TempDir
    Path dir;

    /** conmand's complaints about the file: the line numbers of its CONFIG[file:line] messages. */
    private Set<Integer> conmandErrorLines(Path conf) {
        String conmand = Proc.require("conmand", "conman");
        StringBuffer stderr = new StringBuffer();
        Process p = Proc.startAwaiting("Starting ConMan daemon", stderr,
                List.of("timeout", "30", conmand, "-F", "-c", conf.toString(), "-p", String.valueOf(Proc.freePort())));
        Proc.stop(p);
        Set<Integer> lines = new TreeSet<>();
        Matcher m = CONFIG_ERROR.matcher(stderr);
        while (m.find()) lines.add(Integer.parseInt(m.group(1)));
        return lines;
    }

    private static Set<Integer> importErrorLines(ImportRun r, Path conf) {
        Set<Integer> lines = new TreeSet<>();
        for (String e : r.err()) lines.add(Integer.parseInt(e.substring(conf.toString().length() + 1, e.indexOf(": ", conf.toString().length()))));
        return lines;
    }

    @Test
    void malformedLinesAreTheLinesConmandRefuses() throws Exception {
        Path conf = ImportRun.write(dir, "conman.conf", String.join("\n",
                "# comment",
                "console name=\"a\" dev=\"/dev/null",
                "console name=\"b\" \\",
                "    bogus=\"x\" dev=\"/dev/null\"",
                "consol name=\"c\"",
                "server timestamp=5x",
                "console name=\"d\" dev=\"/dev/null\"",
                "console name=\"d\" dev=\"/dev/null\"",
                "console name=\"e\" \\",
                "  dev=\"/dev/null\" \\",
                "  log='unterminated",
                "server loopback=on",
                "server port",
                "console name=\"f\" dev=\"/dev/zero\"",
                "console name=\"g\" dev=\"/dev/zero\"",
                "console name=\"h\" dev=\"ipmi:127.0.0.9\"",
                "console name=\"i\" dev=\"ipmi:127.0.0.9\"",
                ""));
        ImportRun r = ImportRun.of(ConmanImport::run, conf);
        assertThat(importErrorLines(r, conf)).containsExactly(2, 4, 5, 6, 8, 11, 13, 15, 17);
        assertThat(r.consoles()).as("the line after a directive missing its value at the line end").containsKey("f");
        assertThat(conmandErrorLines(conf)).isEqualTo(importErrorLines(r, conf));
    }

    /**
     * ipmiopts fields as conmand's strtok counts them (an empty field passed over), W: flags it knows or not (an empty
     * one or 0 clears them), and a quote left open at a backslash (the next line read on its own): the lines each
     * complains about are the same. (W:default and W:none, which clear the flags in conman 0.3, are not in Debian's.)
     */
    @Test
    void ipmioptsFieldsAndQuotesLeftOpenAreReadAsConmandReadsThem() throws Exception {
        Path conf = ImportRun.write(dir, "conman.conf", String.join("\n",
                "console name=\"a\" dev=\"ipmi:127.0.0.10\" ipmiopts=\"admin,,NotPrinted2,kg\"",
                "console name=\"b\" dev=\"ipmi:127.0.0.11\" ipmiopts=\"admin,pw,kg,NotAFlag\"",
                "console name=\"c\" dev=\"ipmi:127.0.0.12\" ipmiopts=\"U:admin,W:solport,W:\"",
                "console name=\"d\" dev=\"ipmi:127.0.0.13\" ipmiopts=\"admin,pw,-,solport,0\"",
                "console name=\"e\" dev=\"/dev/null\" log=\"/tmp/x\\",
                "y\"",
                "console name=\"f\" dev=\"/dev/zero\"",
                ""));
        ImportRun r = ImportRun.of(ConmanImport::run, conf);
        assertThat(importErrorLines(r, conf)).containsExactly(2, 5, 6);
        assertThat(conmandErrorLines(conf)).isEqualTo(importErrorLines(r, conf));
        assertThat(r.consoles()).containsOnlyKeys("a", "c", "d", "f");
        assertThat(r.err()).noneMatch(l -> l.contains("W:solport"));
        assertThat(r.said()).doesNotContain("NotPrinted2").doesNotContain("NotAFlag");
    }

    @Test
    void aFileConmandTakesConvertsConsoleForConsole() throws Exception {
        Path conf = ImportRun.write(dir, "conman.conf", String.join("\n",
                "server loopback=on",
                "server timestamp=30m",
                "global seropts=\"19200,8n1\"",
                "global ipmiopts=\"U:admin,C:3\"",
                "console name=\"null0\" dev=\"/dev/null\"",
                "console name=\"ts\" dev=\"127.0.0.1:" + Proc.freePort() + "\"",
                "console name=\"proc\" dev=\"/bin/cat %N\"",
                "console name=\"sock\" dev=\"unix:" + dir.resolve("none.sock") + "\"",
                "console name=\"bmc\" dev=\"ipmi:127.0.0.1\" \\",
                "   ipmiopts=\"P:NotPrinted1\"",
                ""));
        assertThat(conmandErrorLines(conf)).isEmpty();
        ImportRun r = ImportRun.of(ConmanImport::run, conf);
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.consoles()).containsOnlyKeys("null0", "ts", "proc", "sock", "bmc");
        assertThat(r.at("consoles", "null0", "serial", "speed")).isEqualTo(19200);
        assertThat(r.at("consoles", "proc", "cmd")).isEqualTo("/bin/cat proc");
        assertThat(r.at("consoles", "bmc", "sol", "password-file")).isEqualTo("secrets/bmc.pw");
        assertThat(r.out()).doesNotContain("NotPrinted1");
    }
}
