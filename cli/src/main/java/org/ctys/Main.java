package org.ctys;

import org.ctys.cli.Ctys;

public final class Main {
    public static void main(String[] args) { System.exit(Ctys.run(System.out, System.err, args)); }
}
