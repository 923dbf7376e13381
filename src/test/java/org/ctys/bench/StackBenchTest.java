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
}
