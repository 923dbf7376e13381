package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The man pages and the completion script are made from the command model; the committed ones must match. */
class DocsTest {

    @Test
    void committedFilesMatchTheModel() throws Exception {
        for (Map.Entry<String, String> f : Docs.files().entrySet()) {
            Path p = Path.of(f.getKey());
            assertThat(p).as(f.getKey() + " is missing; run: mvn -q package -DskipTests && java -cp target/ctys.jar org.ctys.cli.Docs .").exists();
            assertThat(Files.readString(p)).as(f.getKey() + " is out of date; run: mvn -q package -DskipTests && java -cp target/ctys.jar org.ctys.cli.Docs .").isEqualTo(f.getValue());
        }
    }

    @Test
    void everyOptionAndSuboptionIsInTheManPages() throws Exception {
        String ctys = Files.readString(Path.of("man/ctys.1"));
        for (Opt o : Opt.values()) for (String n : o.names()) assertThat(ctys).contains(Docs.esc(n));
        String pm = Files.readString(Path.of("man/ctys-pm.1"));
        assertThat(pm).as("text wrapped in the source must not leave runs of spaces").doesNotContain("  ");
        Plugins.load().byType("pm").actions().forEach(a -> a.suboptions()
                .forEach(s -> assertThat(pm).contains(Docs.esc(s.name()))));
    }

    @Test
    void helpListsTheSameOptionsAndSuboptions() {
        CliRun global = CliRun.run(Path.of("target"), "--help");
        assertThat(global.status()).isZero();
        for (Opt o : Opt.values()) assertThat(global.out()).contains(o.synopsis());
        CliRun pm = CliRun.run(Path.of("target"), "-t", "pm", "--help");
        Plugins.load().byType("pm").actions().forEach(a -> {
            assertThat(pm.out()).contains(a.synopsis());
            a.suboptions().forEach(s -> assertThat(pm.out()).contains(Help.suboptionNames(s)));
        });
    }

    @Test
    void completionCompletesTypesActionsSuboptionsAndOptions() throws Exception {
        assertThat(complete("ctys", "-t", "p")).isEqualTo("pm");
        assertThat(complete("ctys", "-t", "pm", "-a", "c")).isEqualTo("create cancel");
        assertThat(complete("ctys", "-t", "pm", "-a", "cancel=ipmi,reb")).isEqualTo("cancel=ipmi,reboot");
        assertThat(complete("ctys", "-t", "pm", "-a", "create=wol,br")).isEqualTo("create=wol,broadcast:");
        assertThat(complete("ctys", "-t", "pm", "-a", "create=re")).isEqualTo("create=reuse create=resume");
        assertThat(complete("ctys", "--out")).isEqualTo("--output");
        assertThat(complete("ctys", "--output", "j")).isEqualTo("json");
        assertThat(complete("ctys", "--output", "s")).isEqualTo("stream");
        assertThat(complete("ctys", "--max")).isEqualTo("--max-output");
    }

    /** Runs the completion function for the words given, the last being the one completed. */
    private static String complete(String... words) throws Exception {
        String script = "source bin/ctys-completion.bash; COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); _ctys;"
                + " echo \"${COMPREPLY[*]}\"";
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("bash", "-c", script, "ctys-completion"));
        cmd.addAll(java.util.List.of(words));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void completionScriptIsValidBash() throws Exception {
        Process p = new ProcessBuilder("bash", "-n", "bin/ctys-completion.bash").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}
