package org.ctys.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * ctys run in a {@link Tmux} pane as a person runs it ({@link CtysRunner#terminalScript}), its files
 * named after the session in one directory: the end is its exit status and the terminal's settings
 * ({@code stty -g}) exactly as before.
 */
public final class CtysPane {
    private CtysPane() {}

    /** Opens a 120x30 pane {@code session} running ctys with {@code args}. */
    public static void open(Tmux tmux, CtysRunner ctys, Path dir, String session, String... args) throws IOException {
        tmux.open(session, 120, 30, ctys.terminalScript(dir.resolve(session + ".sh"), dir.resolve(session + ".exit"),
                dir.resolve(session + ".stty"), args));
    }

    /** ctys ended with {@code status}, the terminal exactly as before; the screen then. */
    public static String assertEnded(Tmux tmux, Path dir, String session, int status) throws Exception {
        Path stty = dir.resolve(session + ".stty");
        boolean ended = Proc.await(() -> {
            try {
                return Files.exists(stty) && Files.size(stty) > 0;
            } catch (IOException e) {
                return false;
            }
        }, Tmux.WAIT);
        String screen = tmux.screen(session);
        assertThat(ended).as(screen).isTrue();
        assertThat(Files.readString(dir.resolve(session + ".exit")).strip()).as(screen).isEqualTo("EXIT=" + status);
        assertThat(Files.readString(dir.resolve(session + ".stty.g-after")))
                .isEqualTo(Files.readString(dir.resolve(session + ".stty.g-before")));
        return screen;
    }
}
