package org.ctys.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.ctys.spi.Note;
import org.ctys.spi.RunCommand;
import org.ctys.spi.Step;
import org.ctys.spi.Target;
import org.ctys.spi.Verdict;
import org.junit.jupiter.api.Test;

/** What is typed for one guest, and what is never typed: a name the host's shell or hypervisor would read as another. */
class GuestStepsTest {
    private static final VmHost LAB01 = new VmHost(new Target("lab01", null, List.of(), null, null), null, new Virsh(), VmHost.DEFAULT_URI);

    private static Step first(Step s) { return ((Step.Sequence) s).steps().get(0); }

    @Test
    void aPlainNameIsShutDownByName() {
        assertThat(first(GuestSteps.shutdown(LAB01, "web1", Duration.ofMinutes(2), false))).isInstanceOfSatisfying(RunCommand.class,
                r -> assertThat(r.command()).isEqualTo("virsh -c qemu:///system shutdown web1"));
    }

    @Test
    void aNameReadAsAnIdOrHoldingControlCharactersIsRefusedAndNothingIsTyped() {
        for (Step s : List.of(GuestSteps.shutdown(LAB01, "7", Duration.ofMinutes(2), true), GuestSteps.destroy(LAB01, "7"),
                GuestSteps.reset(LAB01, "7"), GuestSteps.start(LAB01, "7", Duration.ofMinutes(1)))) {
            assertThat(first(s)).isInstanceOfSatisfying(Note.class, n -> {
                assertThat(n.target()).isEqualTo("lab01[7]");
                assertThat(n.verdict().effect()).isEqualTo(Verdict.Effect.FAIL);
                assertThat(n.verdict().state()).isEqualTo("ambiguous-name");
                assertThat(n.verdict().message()).isEqualTo("virsh takes '7' for a domain id before a name (another guest may answer"
                        + " to it): ctys does not act on it by name; rename it, or use virsh on lab01 yourself");
            });
        }
        assertThat(first(GuestSteps.shutdown(LAB01, "a\tb", Duration.ofMinutes(2), false))).isInstanceOfSatisfying(Note.class,
                n -> assertThat(n.verdict().message()).startsWith("the name $'a\\tb' holds control characters"));
        assertThat(Consoles.guestSerial(LAB01, "7", false)).isInstanceOf(Note.class);
    }

    /** The notes for the host and web1, web2 when their batched shutdown failed with {@code why}; each fails. */
    private static List<Note> unreached(Verdict why, boolean commandSent) {
        org.ctys.spi.Discover d = (org.ctys.spi.Discover) GuestSteps.shutdownAll(LAB01, "lab01", List.of("web1", "web2"),
                Duration.ofMinutes(2), false);
        List<Note> notes = ((Step.Parallel) d.expansion().unreached(why, commandSent).next()).steps().stream()
                .map(Note.class::cast).toList();
        assertThat(notes).extracting(Note::target).containsExactly("lab01", "lab01[web1]", "lab01[web2]");
        assertThat(notes).allSatisfy(n -> assertThat(n.verdict().effect()).isEqualTo(Verdict.Effect.FAIL));
        assertThat(notes.get(0).verdict()).isEqualTo(why);
        return notes;
    }

    /** The one virsh for all guests lost its answer: every guest says it was not confirmed off, none is left "ok, planned". */
    @Test
    void aBatchedShutdownThatGotNoAnswerFailsTheHostAndEachGuest() {
        List<Note> notes = unreached(Verdict.fail("lost", "the connection to lab01 was lost"), true);
        assertThat(notes.get(1).verdict().message()).contains("may have reached this guest").contains("not confirmed off");
    }

    /** The request never left (the login failed again): each guest says it was not asked, not that it may have been. */
    @Test
    void aBatchedShutdownThatCouldNotBeSentSaysTheGuestsWereNotAsked() {
        List<Note> notes = unreached(Verdict.fail("unreachable", "lab01: authentication failed"), false);
        assertThat(notes.get(1).verdict().state()).isEqualTo("not-asked");
        assertThat(notes.get(1).verdict().message()).contains("not asked to shut down").contains("authentication failed")
                .doesNotContain("may have reached");
    }
}
