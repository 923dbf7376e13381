package org.ctys;

import org.ctys.cli.Ctys;
import org.ctys.cli.SharedArchive;

public final class Main {
    public static void main(String[] args) {
        SharedArchive.markIfUnused();
        System.exit(Ctys.run(System.out, System.err, args));
    }
}
