package org.ctys.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How StackBench sums up its passes: the median, and the range beside it. */
class StackBenchTest {
    @Test
    void theMedianOfAnOddCountIsTheMiddleValueInWhateverOrderTheyCame() {
        assertThat(StackBench.median(List.of(6.31, 5.53, 7.10))).isEqualTo(6.31);
        assertThat(StackBench.median(List.of(5.0))).isEqualTo(5.0);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(StackBench.median(List.of(7.0, 5.0, 6.0, 8.0))).isEqualTo(6.5);
    }

    @Test
    void onePassPrintsItsValueAndSeveralTheMedianWithTheirRange() {
        assertThat(StackBench.seconds(List.of(6.084))).isEqualTo("6.08 s");
        assertThat(StackBench.seconds(List.of(6.31, 5.95, 6.08))).isEqualTo("6.08 s [5.95-6.31]");
    }

    @Test
    void eachPassShiftsTheStopTimesByAnEqualPartOfASecond() {
        assertThat(List.of(1, 2, 3).stream().map(p -> StackBench.shift(p, 3).toMillis()).toList()).containsExactly(0L, 333L, 666L);
        assertThat(StackBench.shift(1, 1).toMillis()).isZero();
    }

    @Test
    void ratiosAreTakenWithinEachPassThenTheirMedian() {
        // pass by pass 1.1, 1.0, 1.4: median 1.1; the ratio of the medians would be 6.6 / 5.0 = 1.32
        assertThat(StackBench.medianRatio(List.of(6.6, 5.0, 7.0), List.of(6.0, 5.0, 5.0)))
                .isCloseTo(1.1, org.assertj.core.data.Offset.offset(1e-9));
    }
}
