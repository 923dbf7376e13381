package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random command lines (always with -n, so nothing could be sent) end in a plan, help, a usage
 * error or a configuration error — never in an internal error or an exception.
 */
class CliProperties {
    private static final Path HOME = Path.of("target", "cli-properties-home");

    @Property(tries = 1500)
    void randomCommandLinesNeverCrash(@ForAll("argv") List<String> argv) {
        List<String> args = new ArrayList<>();
        args.add("-n");
        args.addAll(argv);
        CliRun r = CliRun.run(HOME, args.toArray(new String[0]));
        assertThat(r.status()).as(args + "\n" + r.err()).isIn(0, 2, 3);
        assertThat(r.err()).as(args.toString()).doesNotContain("internal error").doesNotContain("Exception");
        if (r.status() == 2) {
            assertThat(r.err().lines().count()).as(args + "\n" + r.err()).isEqualTo(3);
        }
    }

    @Provide
    Arbitrary<List<String>> argv() {
        Arbitrary<String> known = Arbitraries.of("-t", "pm", "PM", "-T", "all", "-a", "create", "list", "-l", "root",
                "-b", "seq,4", "-d", "2", "-z", "PTY", "-Y", "-X", "--output", "json", "--parallel", "8", "--timeout",
                "30s", "-v", "-q", "--", "lab01", "lab[01-03]", "@lab", "root@lab01", "lab01(-l root)", "(-l admin)",
                "pm01[vm1]");
        Arbitrary<String> action = Arbitraries.of("wol", "wol:5s", "bmac:aa:bb:cc:dd:ee:ff", "mac:aa-bb-cc-dd-ee-ff",
                "t:10.0.0.5", "l:lab01", "broadcast:10.0.0.255", "port:7", "if:lo", "ping:3%1", "ping:off", "timeout:10s",
                "reuse", "connect", "resume", "console:none", "sshping:1%1", ",,", "\\:", "%%", "::")
                .list().ofMinSize(0).ofMaxSize(5)
                .map(parts -> "create=" + String.join(",", parts));
        Arbitrary<String> noise = Arbitraries.strings().withChars("-=,:%[]()@.\\ abcxyz019").ofMaxLength(12);
        return Arbitraries.oneOf(known, known, known, action, noise).list().ofMaxSize(8);
    }
}
