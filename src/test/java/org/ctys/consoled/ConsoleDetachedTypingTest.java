package org.ctys.consoled;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A user's session reads what they typed in pieces; when the daemon detaches them in between (a
 * reload withdrew their access, they fell behind), the rest of the last piece must reach no
 * machine, and the write they held must be free for the next user.
 */
class ConsoleDetachedTypingTest {



    @Test
    void aUserWhoseAccessAReloadWithdrewTypesNothingMoreAndFreesTheWrite() throws Exception {
        MemoryLink line = new MemoryLink();
        Console c = new Console(new ConsoleDef("lab07", new Endpoint.Command("cat"), Set.of()), (name, e) -> line, new NoJournal(),
                new Say(new PrintStream(new ByteArrayOutputStream())), Clock.systemUTC(), Pause.real());
        c.start();
        try {
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (c.state() != Console.State.UP && System.nanoTime() < until) Thread.sleep(10);
            assertThat(c.state()).isEqualTo(Console.State.UP);

            ByteArrayOutputStream bobSaw = new ByteArrayOutputStream();
            Attachment alice = new Attachment("alice", new FakeSession("alice", new ByteArrayOutputStream()), Access.Level.RW, false, 1 << 20);
            c.attach(alice, false, null);
            c.type(alice, "ls\r".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.who()).startsWith("lab07: alice writes");

            c.reaccess(user -> user.equals("bob") ? Access.Level.RW : Access.Level.NONE);
            // the rest of what alice's session had read when the reload came, then her session's own end
            c.type(alice, "reboot\r".getBytes(StandardCharsets.US_ASCII));
            c.force(alice);
            c.detach(alice);
            assertThat(line.typed()).isEqualTo("ls\r");
            assertThat(c.who()).isEqualTo("lab07: nobody writes; watching: nobody");

            Attachment bob = new Attachment("bob", new FakeSession("bob", bobSaw), Access.Level.RW, false, 1 << 20);
            c.attach(bob, false, null);
            c.type(bob, "uptime\r".getBytes(StandardCharsets.US_ASCII));
            assertThat(line.typed()).isEqualTo("ls\ruptime\r");
            assertThat(c.who()).startsWith("lab07: bob writes");
            bob.end(0, null);
            bob.awaitEnd();
        } finally {
            c.close("test over", 1000);
        }
    }
}
