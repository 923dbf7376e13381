package org.ctys.grammar;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.ctys.exit.CtysException;
import org.ctys.exit.ExitStatus;

/** Asserts that a call fails as a one-line usage error whose message quotes what was wrong. */
final class UsageErrors {
    private UsageErrors() {}

    static void assertUsage(ThrowingCallable call, String... fragments) {
        assertThatThrownBy(call)
                .isInstanceOf(CtysException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((CtysException) e).status())
                        .isEqualTo(ExitStatus.USAGE))
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage())
                        .doesNotContain("\n")
                        .contains(fragments));
    }
}
