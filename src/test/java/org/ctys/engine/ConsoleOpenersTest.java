package org.ctys.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.ctys.spi.AttachSol;
import org.ctys.spi.Note;
import org.ctys.spi.OpenShell;
import org.junit.jupiter.api.Test;

/** The registry of the attach model: every step kind that owns the terminal has an opener, and one without is named. */
class ConsoleOpenersTest {

    @Test
    void theShellAndSolHaveTheirOpeners() {
        ConsoleOpeners standard = ConsoleOpeners.standard();
        assertThat(standard.of(OpenShell.class)).isInstanceOf(ShellOpener.class);
        assertThat(standard.of(AttachSol.class)).isInstanceOf(SolOpener.class);
    }

    @Test
    void aKindWithoutAnOpenerIsAProgrammingErrorThatNamesIt() {
        assertThatThrownBy(() -> new ConsoleOpeners().of(Note.class)).isInstanceOf(IllegalStateException.class)
                .hasMessage("no console opener registered for step kind Note, which owns the terminal");
    }

    @Test
    void onlyWhatCtysSeesCanBeLogged() {
        assertThat(new ShellOpener().records(new OpenShell("lab1", new org.ctys.spi.Remote("lab1", null, null, java.util.List.of()), null)))
                .isTrue();
        assertThat(new ShellOpener().records(new OpenShell("localhost", null, null))).as("the local $SHELL has the terminal itself")
                .isFalse();
    }
}
