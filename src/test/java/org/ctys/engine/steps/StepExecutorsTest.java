package org.ctys.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.ctys.spi.Note;
import org.ctys.spi.Plan;
import org.ctys.spi.Probe;
import org.ctys.spi.Step;
import org.ctys.spi.Verdict;
import org.junit.jupiter.api.Test;

class StepExecutorsTest {
    private static final Verdict UP = Verdict.done("up", "answers");
    private static final Verdict DOWN = Verdict.fail("down", "silent");

    /** Counts how often it was prepared; running it is not what these tests are about. */
    private static class Counting<S extends Step> implements StepExecutor<S> {
        final AtomicInteger prepared = new AtomicInteger();

        @Override
        public CompletableFuture<Void> run(S step, RunContext ctx) { return CompletableFuture.completedFuture(null); }

        @Override
        public void prepare() { prepared.incrementAndGet(); }
    }

    private static Note note(String target) { return new Note(target, UP, Map.of()); }

    @Test
    void everyLeafKindOfStepHasAnExecutorInTheStandardRegistry() {
        StepExecutors standard = StepExecutors.standard();
        List<Class<?>> leaves = leafKinds(Step.class).filter(k -> k != Step.Sequence.class && k != Step.Parallel.class).toList();

        assertThat(leaves).hasSizeGreaterThanOrEqualTo(10);
        for (Class<?> kind : leaves) {
            assertThat(standard.of(kind.asSubclass(Step.class))).as(kind.getSimpleName()).isNotNull();
        }
    }

    /** The records a plan can hold: a sealed interface among the kinds (Poll) stands for the kinds it permits. */
    private static java.util.stream.Stream<Class<?>> leafKinds(Class<?> kind) {
        return kind.isSealed() ? Arrays.stream(kind.getPermittedSubclasses()).flatMap(StepExecutorsTest::leafKinds) : java.util.stream.Stream.of(kind);
    }

    @Test
    void aKindWithoutAnExecutorIsAnErrorThatNamesTheKind() {
        StepExecutors empty = new StepExecutors();

        assertThatThrownBy(() -> empty.run(note("a"), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no executor registered for step kind Note");
    }

    @Test
    void aRegisteredExecutorRunsItsKind() {
        StepExecutors registry = new StepExecutors();
        List<Step> ran = new java.util.ArrayList<>();
        registry.register(Note.class, (step, ctx) -> {
            ran.add(step);
            return CompletableFuture.completedFuture(null);
        });
        Note n = note("a");

        assertThat(registry.run(n, null)).isCompleted();
        assertThat(ran).containsExactly(n);
    }

    @Test
    void prepareCallsTheExecutorOfEachKindInThePlansOnceAndNoOther() {
        Counting<Note> notes = new Counting<>();
        Counting<Probe> probes = new Counting<>();
        StepExecutors registry = new StepExecutors().register(Note.class, notes).register(Probe.class, probes);
        Step nested = new Step.Sequence(List.of(note("a"), new Step.Parallel(0, List.of(note("b"), note("c")))));

        registry.prepare(List.of(new Plan("one", List.of("a", "b", "c"), nested),
                new Plan("two", List.of("d"), note("d"))));

        assertThat(notes.prepared).hasValue(1);
        assertThat(probes.prepared).hasValue(0);
    }

    @Test
    void prepareHandsEachExecutorTheStepsOfItsKindFromEveryPlan() {
        List<Step> given = new java.util.ArrayList<>();
        StepExecutors registry = new StepExecutors().register(Note.class, new Counting<Note>() {
            @Override
            public void prepare(List<? extends Note> steps) { given.addAll(steps); }
        });
        Note a = note("a");
        Note b = note("b");
        Note d = note("d");

        registry.prepare(List.of(new Plan("one", List.of("a", "b"), new Step.Sequence(List.of(a, new Step.Parallel(0, List.of(b))))),
                new Plan("two", List.of("d"), d)));

        assertThat(given).containsExactly(a, b, d);
    }

    @Test
    void prepareOfAPlanWithAKindNobodyRegisteredNamesTheKind() {
        StepExecutors registry = new StepExecutors().register(Note.class, new Counting<>());
        Probe probe = new Probe("a", "127.0.0.1", 22, Duration.ofSeconds(1), UP, DOWN);

        assertThatThrownBy(() -> registry.prepare(List.of(new Plan("p", List.of("a"),
                new Step.Sequence(List.of(note("a"), probe))))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Probe");
    }
}
