package org.ctys.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctys.engine.run.Progress;
import org.ctys.engine.run.Shells;
import org.ctys.spi.GenericOptions;
import org.ctys.spi.Output;
import org.ctys.spi.Plan;
import org.ctys.spi.Remote;
import org.ctys.spi.Result;
import org.ctys.spi.StateReader;
import org.ctys.spi.Step;
import org.ctys.spi.WaitForState;
import org.junit.jupiter.api.Test;

/**
 * Eight guests of one host waiting to be off, their state asked with the host's one listing
 * ("states", as virsh domstats): the host is asked about once per interval, not once per guest
 * and interval, and every guest still sees its own state change.
 */
class SharedStateWaitsTest {
    private static final Remote LAB01 = new Remote("lab01", "root", null, List.of());
    private static final Duration INTERVAL = Duration.ofMillis(40);

    /** Guest i is off from 100 ms + 30 ms * i after the start on. */
    static final class Host extends NoInputShells {
        final long started = System.nanoTime();
        final AtomicInteger listings = new AtomicInteger();

        @Override
        public Output exec(Remote remote, String command, Duration timeout) {
            listings.incrementAndGet();
            long ms = (System.nanoTime() - started) / 1_000_000;
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= 8; i++) b.append("g").append(i).append(ms >= 100 + 30L * i ? " off\n" : " running\n");
            return new Output(b.toString().getBytes(StandardCharsets.UTF_8), new byte[0], 0, null);
        }
    }

    private static StateReader off(String guest) {
        return out -> {
            for (String line : new String(out.stdout(), StandardCharsets.UTF_8).split("\n")) {
                if (line.equals(guest + " off")) return StateReader.Reading.met("off");
                if (line.equals(guest + " running")) return StateReader.Reading.notYet("running");
            }
            return StateReader.Reading.failed("no " + guest);
        };
    }

    @Test
    void guestsWaitingOnOneHostShareItsAnswers() {
        Host host = new Host();
        List<Step> waits = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            String t = "lab01[g" + i + "]";
            targets.add(t);
            waits.add(new WaitForState(t, LAB01, "states", off("g" + i), "shut off", "shut-off", "still-running",
                    200, INTERVAL, Duration.ofSeconds(5), null, null));
        }
        Engine engine = new Engine(GenericOptions.defaults(), Progress.quiet(), (a, p, t) -> false, () -> host);
        Report r = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> engine.run(new Plan("test", targets, new Step.Parallel(0, waits))));

        int tries = 0;
        Pattern tryOf = Pattern.compile("\\(try (\\d+) of 200\\)");
        for (Result res : r.results()) {
            assertThat(res.state()).as(res.toString()).isEqualTo("shut-off");
            Matcher m = tryOf.matcher(res.message());
            assertThat(m.find()).as(res.message()).isTrue();
            tries += Integer.parseInt(m.group(1));
        }
        // each wait asked every 40 ms for 130-340 ms: about 60 tries in all; one listing answers all
        // the waits that ask within half an interval of each other
        assertThat(host.listings.get()).as("listings for %d tries", tries).isLessThanOrEqualTo(tries / 3);
    }
}
