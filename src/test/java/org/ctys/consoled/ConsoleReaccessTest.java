package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A user's level is taken from the configuration before the attach takes the console's lock; a
 * reload in between must not leave them the level it took away (the window is short, and a user
 * who expects to lose access can attach in a loop).
 */
class ConsoleReaccessTest {

    /** A user's session whose output is kept. */
    private static final class Session {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final FakeSession session;

        Session(String user) { session = new FakeSession(user, out); }

        String user() { return session.user(); }

        String said() {
            synchronized (this) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }
    }


    private static Console console() {
        return new Console(new ConsoleDef("lab07", new Endpoint.Command("cat"), Set.of()), (name, e) -> {
            throw new java.io.IOException("not opened in this test");
        }, new NoJournal(), new Say(new PrintStream(new ByteArrayOutputStream())), Clock.systemUTC(), Pause.real());
    }

    private static Attachment attaching(Session s, Access.Level asTakenBefore) {
        return new Attachment(s.user(), s.session, asTakenBefore, false, 1 << 20);
    }

    @Test
    void aReloadBetweenTheAccessCheckAndTheAttachDecidesTheLevel() throws Exception {
        Console c = console();
        c.reaccess(user -> user.equals("alice") ? Access.Level.RO : Access.Level.NONE);

        Session alice = new Session("alice");
        Attachment a = attaching(alice, Access.Level.RW);
        c.attach(a, false, null);
        assertThat(a.level).isEqualTo(Access.Level.RO);
        assertThat(c.who()).isEqualTo("lab07: nobody writes; watching: alice");

        Session bob = new Session("bob");
        Attachment b = attaching(bob, Access.Level.RW);
        c.attach(b, true, null);
        assertThat(b.awaitEnd()).isEqualTo(3);
        assertThat(bob.said()).contains("your access to lab07 was withdrawn by a reload of the configuration");
        assertThat(c.who()).doesNotContain("bob");
        a.end(0, null);
        a.awaitEnd();
    }
}
