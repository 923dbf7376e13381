package org.ctys.stack;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever a host prints, a dialect reads it or says which line it could not read: nothing else is thrown. */
class DialectProperties {
    private static final Dialect[] DIALECTS = {new Virsh(), new Xl()};

    @Provide
    Arbitrary<String> output() {
        // pieces of the real formats, shuffled, so random text gets past the first checks
        Arbitrary<String> piece = Arbitraries.of(
                "Name:           a b\n", "State:          running\n", "Id:             -\n", "Used memory:    12 KiB\n",
                "Managed save:   yes\n", "CPU(s):         x\n", "Autostart:      enable\n", "\n", " \n",
                XlTest.XL_LIST, "# autostart\n", "# saved\n", "name = \"w\"\n", "name = '\n",
                "a                                            1   512     2     -b----       1.0\n",
                "<domain type='kvm'>\n", "<name>x</name>\n", "</domain>\n", "<devices><interface><mac address='A'/></interface></devices>\n",
                "[", "]", "{\"domid\": 1, \"config\": {\"c_info\": {\"name\": 5}}}", "{\"domid\": \"x\"}", ",");
        return Arbitraries.oneOf(
                piece.list().ofMaxSize(12).map(l -> String.join("", l)),
                Arbitraries.strings().all().ofMaxLength(80),
                Arbitraries.strings().withChars("Name:Stat \n\t-rbpscd0123456789.#<>/[]{}\"'").ofMaxLength(120));
    }

    @Property(tries = 400)
    void parsersThrowOnlyIllegalArgument(@ForAll("output") String text, @ForAll("exitStatus") int exit) {
        for (Dialect d : DIALECTS) {
            onlyIllegalArgument(() -> d.parseList(text));
            onlyIllegalArgument(() -> d.parseDetails(text));
            onlyIllegalArgument(() -> d.parseState("web1", text, text, exit));
        }
    }

    @Provide
    Arbitrary<Integer> exitStatus() { return Arbitraries.of(0, 1, 127, -1); }

    private static void onlyIllegalArgument(Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException expected) {
            // the one failure a parser may have: it names what it could not read
        }
    }
}
