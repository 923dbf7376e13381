package org.ctys.inventory;

/**
 * How large an inventory may be. A site of 10,000 machines writes about 1.5 MB of YAML; the
 * limits leave room for forty times that, and keep a wrong file (a disk image, a log) from
 * taking the memory and minutes it would otherwise take before failing.
 */
final class Limits {

    /** The whole file; checked before it is read. */
    static final long FILE_BYTES = 64L << 20;
    static final String FILE_TEXT = "64 MiB";

    /**
     * One line, and one value or key. SnakeYAML's time grows with the square of a line's length
     * (a 50 MB line takes minutes); lines of this length keep it linear in the file's size.
     */
    static final int LINE_BYTES = 64 << 10;
    static final String LINE_TEXT = "64 KiB";
    static final int SCALAR_CHARS = 64 << 10;
    static final String SCALAR_TEXT = "64 KiB";

    /** Mappings and lists inside each other; a real inventory needs about ten. */
    static final int DEPTH = 32;

    private Limits() {}
}
