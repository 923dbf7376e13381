package org.ctys.plugins.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ctys.spi.Discover;
import org.ctys.spi.Note;
import org.ctys.spi.Output;
import org.ctys.spi.Remote;
import org.ctys.spi.RunCommand;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;
import org.junit.jupiter.api.Test;

/** 'ctys-bootd job list --json' read into rows (LIST) and into the jobs CANCEL=ALL revokes. */
class JobListingTest {
    private static final BootServerReach SERVER = new BootServerReach(new Remote("boot", "root", null, List.of()), "boot",
            "/etc/ctys/bootd.yaml");

    private static final String JOBS = """
            [{"id":"AAAAAAAAAAAA","machine":"lab07","mac":"52:54:00:12:34:07","via":"pxe","created":"2026-11-30T12:00:00Z",
              "expires":"2026-11-30T12:10:00Z","keep":false,"state":"pending","fetchedFrom":null,"exit":null},
             {"id":"BBBBBBBBBBBB","machine":"lab08","via":"cdrom","state":"done","fetchedFrom":"10.0.2.16","exit":0},
             {"id":"CCCCCCCCCCCC","machine":"lab07","via":"pxe","state":"pending"}]
            """.replace("\n", "");

    private static Output out(String stdout, int exit) {
        return new Output(stdout.getBytes(StandardCharsets.UTF_8), new byte[0], exit, null);
    }

    private static List<Step> steps(Discover.Expanded e) {
        return e.next() instanceof Step.Sequence s ? s.steps() : List.of(e.next());
    }

    @Test
    void everyJobIsARowWithItsFieldsThenTheServer() {
        Discover.Expanded e = new JobListing(SERVER, List.of()).rows(out(JOBS, 0));
        // added last first: each goes right after the server's row, so the report keeps the server's order
        assertThat(e.targets()).extracting(Discover.Added::target).containsExactly("CCCCCCCCCCCC", "BBBBBBBBBBBB", "AAAAAAAAAAAA");
        List<Step> rows = steps(e);
        Note first = (Note) rows.get(0);
        assertThat(first.verdict().message()).isEqualTo("lab07 via pxe: pending, expires 2026-11-30T12:10:00Z");
        assertThat(first.fields()).containsEntry("machine", "lab07").containsEntry("fetchedFrom", "-").containsEntry("keep", "no");
        assertThat(((Note) rows.get(1)).verdict().message()).isEqualTo("lab08 via cdrom: done, fetched from 10.0.2.16, script exit 0");
        assertThat(((Note) rows.get(3)).verdict().message()).isEqualTo("3 jobs, 2 pending");
    }

    @Test
    void machinesNamedListTheirJobsOnly() {
        Discover.Expanded e = new JobListing(SERVER, List.of("LAB08")).rows(out(JOBS, 0));
        assertThat(e.targets()).extracting(Discover.Added::target).containsExactly("BBBBBBBBBBBB");
    }

    @Test
    void anObjectWithJobsAndOneJobALineAreReadToo() {
        assertThat(JobListing.jobs("{\"jobs\":[{\"id\":\"A1\"}]}")).hasSize(1);
        assertThat(JobListing.jobs("{\"id\":\"A1\"}\n{\"job\":\"A2\"}\n")).extracting(j -> j.text("job") == null ? j.text("id")
                : j.text("job")).containsExactly("A1", "A2");
        assertThat(JobListing.jobs("")).isEmpty();
        assertThatThrownBy(() -> JobListing.jobs("[{\"name\":\"x\"}]")).hasMessageContaining("without an id");
        assertThatThrownBy(() -> JobListing.jobs("Welcome\n")).isInstanceOf(IllegalArgumentException.class);
    }

    /** The id taken into a row and into 'ctys-bootd job cancel' is the one that was checked, not an unchecked word beside it. */
    @Test
    void theIdTakenIsTheOneThatIsAJobId() {
        List<JobLine> jobs = JobListing.jobs("{\"id\":\"$(reboot) x\",\"job\":\"CCCCCCCCCCCC\",\"machine\":\"lab08\"}\n");
        assertThat(jobs).extracting(JobLine::id).containsExactly("CCCCCCCCCCCC");
        Discover.Expanded e = new JobListing(SERVER, List.of()).rows(out("{\"id\":\"$(reboot) x\",\"job\":\"CCCCCCCCCCCC\"}\n", 0));
        assertThat(e.targets()).extracting(Discover.Added::target).containsExactly("CCCCCCCCCCCC");
    }

    @Test
    void whatIsNoJobListOrAFailedListIsSaidToBeSo() {
        Note notAList = (Note) new JobListing(SERVER, List.of()).rows(out("Welcome to boot\n", 0)).next();
        assertThat(notAList.verdict().state()).isEqualTo("not-a-boot-server");
        Note refused = (Note) new JobListing(SERVER, List.of()).rows(new Output(new byte[0], "bad config\n".getBytes(), 3, null)).next();
        assertThat(refused.verdict().effect()).isEqualTo(Verdict.Effect.REFUSE);
        assertThat(refused.verdict().message()).isEqualTo("boot: 'ctys-bootd job list' ended with exit 3: bad config");
    }

    @Test
    void cancelAllRevokesTheMachinesPendingJobsOnly() {
        List<Step> steps = steps(JobCancel.pending("lab07", out(JOBS, 0), SERVER));
        assertThat(steps).extracting(s -> ((RunCommand) s).command()).containsExactly(
                "ctys-bootd --config /etc/ctys/bootd.yaml job cancel AAAAAAAAAAAA",
                "ctys-bootd --config /etc/ctys/bootd.yaml job cancel CCCCCCCCCCCC");
        assertThat(((RunCommand) steps.get(0)).ok().effect()).isEqualTo(Verdict.Effect.CONTINUE);
        assertThat(((RunCommand) steps.get(1)).ok().effect()).isEqualTo(Verdict.Effect.DONE);

        Note none = (Note) JobCancel.pending("lab08", out(JOBS, 0), SERVER).next();
        assertThat(none.verdict().message()).isEqualTo("no pending job on boot");
    }
}
