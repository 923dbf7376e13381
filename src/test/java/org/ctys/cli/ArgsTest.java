package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** picocli parses the command line, from a CommandSpec made of the Opt table. */
class ArgsTest {

    @Test
    void picocliParsesWithAModelBuiltFromTheOptTable() {
        Args a = Args.parse("-nq", "-t", "pm", "--output=json", "-a", "list", "lab01");
        CommandSpec spec = a.spec();
        for (Opt o : Opt.values()) {
            OptionSpec option = spec.findOption(o.names().get(0));
            assertThat(option).as(o.name()).isNotNull();
            assertThat(option.names()).as(o.name()).containsExactlyInAnyOrderElementsOf(o.names());
            assertThat(option.arity().min()).as(o.name()).isEqualTo(o.takesValue() ? 1 : 0);
            if (o.takesValue()) assertThat(option.paramLabel()).isEqualTo(o.label());
        }
        assertThat(spec.options()).hasSize(Opt.values().length);
        assertThat(spec.subcommands()).isEmpty();
        // the targets are picocli's positional parameters
        assertThat(spec.positionalParameters()).hasSize(1);
        assertThat(spec.positionalParameters().get(0).<List<String>>getValue()).containsExactly("lab01");
        assertThat(spec.commandLine().getParseResult().originalArgs())
                .containsExactly("-nq", "-t", "pm", "--output=json", "-a", "list", "lab01");
        assertThat(a.value(Opt.OUTPUT)).isEqualTo("json");
        assertThat(a.has(Opt.DRY_RUN)).isTrue();
        assertThat(a.has(Opt.QUIET)).isTrue();
    }

    @Test
    void picocliRunsFromClassFilesForJava17() throws IOException {
        // the published jar's classes are Java 5 class files (major version 49): verified at every start by the old verifier,
        // and kept unlinked in the class-data archive; the build compiles picocli's sources instead
        for (String name : List.of("CommandLine.class", "CommandLine$Interpreter.class", "CommandLine$Model$CommandSpec.class")) {
            try (InputStream in = CommandLine.class.getResourceAsStream(name)) {
                byte[] head = in.readNBytes(8);
                assertThat(((head[6] & 0xff) << 8) | (head[7] & 0xff)).as(name).isEqualTo(61);
            }
        }
    }

    @Test
    void anAtWordIsATargetEvenWhenAFileOfThatNameExists(@TempDir Path dir) throws IOException {
        // picocli would read the file's words as arguments with @-files on
        Path rack2 = Files.writeString(dir.resolve("rack2"), "-n\n--output=json\n");
        Args a = Args.parse("-t", "pm", "-a", "list", "@" + rack2);
        assertThat(a.spec().parser().expandAtFiles()).isFalse();
        assertThat(a.targets()).containsExactly("@" + rack2);
        assertThat(a.has(Opt.DRY_RUN)).isFalse();
        assertThat(a.has(Opt.OUTPUT)).isFalse();
    }

    @Test
    void aTargetNamedLikeATypeIsATarget() {
        Args a = Args.parse("-t", "pm", "-a", "list", "pm", "cli", "kvm", "help");
        assertThat(a.targets()).containsExactly("pm", "cli", "kvm", "help");
        assertThat(a.value(Opt.TYPE)).isEqualTo("pm");
    }

    @Test
    void optionsAndTargetsMixAsGetoptMixesThem() {
        Args a = Args.parse("lab01", "-b", "par", "-Yb4", "lab02", "--", "-n", "--");
        assertThat(a.all(Opt.BATCH)).containsExactly("par", "4");
        assertThat(a.has(Opt.AGENT)).isTrue();
        assertThat(a.has(Opt.DRY_RUN)).isFalse();
        assertThat(a.targets()).containsExactly("lab01", "lab02", "-n", "--");
    }
}
