package org.ctys.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.ctys.exit.CtysException;
import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void unitsAreBinaryMultiplesAndABareNumberIsBytes() {
        assertThat(Sizes.parse("8M", 1, Sizes.GIB)).isEqualTo(8 * Sizes.MIB);
        assertThat(Sizes.parse("8MiB", 1, Sizes.GIB)).isEqualTo(8 * Sizes.MIB);
        assertThat(Sizes.parse("512k", 1, Sizes.GIB)).isEqualTo(512 * Sizes.KIB);
        assertThat(Sizes.parse("1G", 1, Sizes.GIB)).isEqualTo(Sizes.GIB);
        assertThat(Sizes.parse("65536", 1, Sizes.GIB)).isEqualTo(65536);
        assertThat(Sizes.parse("100B", 1, Sizes.GIB)).isEqualTo(100);
    }

    @Test
    void outOfRangeAndMalformedAreUsageErrorsNamingTheRange() {
        assertThatThrownBy(() -> Sizes.parse("2G", Sizes.KIB, Sizes.GIB)).isInstanceOf(CtysException.class)
                .hasMessageContaining("from 1 KiB to 1 GiB");
        assertThatThrownBy(() -> Sizes.parse("9999999999G", Sizes.KIB, Sizes.GIB)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Sizes.parse("-1", Sizes.KIB, Sizes.GIB)).hasMessageContaining("bad size '-1'");
        assertThatThrownBy(() -> Sizes.parse("", Sizes.KIB, Sizes.GIB)).hasMessageContaining("bad size");
    }

    @Test
    void formatIsExactAndApproximateIsForPeople() {
        assertThat(Sizes.format(8 * Sizes.MIB)).isEqualTo("8 MiB");
        assertThat(Sizes.format(1536 * Sizes.KIB)).isEqualTo("1536 KiB");
        assertThat(Sizes.format(100)).isEqualTo("100 bytes");
        assertThat(Sizes.approximate(291_611_392L)).isEqualTo("278.1 MiB");
    }
}
