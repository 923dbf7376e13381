package org.ctys.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WhereInstalledTest {

    /** A method left to Dialect's default would answer for the wrapped dialect: no refusal of a misread name, no event watch. */
    @Test
    void everyMethodOfADialectIsPassedOnNotLeftToItsDefault() {
        List<String> missing = Arrays.stream(Dialect.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> !declares(m))
                .map(Method::getName).toList();
        assertThat(missing).isEmpty();
    }

    @Test
    void theWrappedDialectsRefusalsOfNamesHold() {
        Dialect xen = new WhereInstalled(new Xl());
        assertThat(Dialect.notByName(xen, "7")).startsWith("xl takes '7' for a domain id");
        assertThat(Dialect.notByName(xen, "../../root/.ssh/authorized_keys")).contains("not a file name");
        assertThat(Dialect.notByName(new WhereInstalled(new Virsh()), "7")).startsWith("virsh takes '7'");
        assertThat(Dialect.notByName(xen, "web1")).isNull();
    }

    @Test
    void withoutTheProgramTheHostRunsNoGuests() {
        WhereInstalled kvm = new WhereInstalled(new Virsh());
        assertThat(kvm.states("qemu:///system")).startsWith("command -v virsh >/dev/null 2>&1 || exit 0; ");
        assertThat(kvm.parseStates("")).isEmpty();
        assertThat(kvm.watch("qemu:///system")).isEqualTo(new Virsh().watch("qemu:///system"));
    }

    private static boolean declares(Method m) {
        try {
            WhereInstalled.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
