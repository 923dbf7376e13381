package org.ctys.consoled;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.ctys.grammar.Sizes;
import org.ctys.spi.ControlChars;

/** Reads the file an import converts; a file that cannot be read is one line on stderr. */
final class ImportFiles {

    /** Console server configurations are a few hundred kilobytes at most; a larger file is a mistake. */
    static final long MAX_BYTES = 16L << 20;

    private ImportFiles() {}

    /**
     * The file's text (UTF-8, else ISO-8859-1 as the C servers read bytes), or null after reporting why
     * not. Only a regular file is read, and never more than {@link #MAX_BYTES}, whatever its size says
     * (a device such as /dev/zero, a file that grows while it is read).
     */
    static String read(Path in, PrintStream err) {
        try {
            BasicFileAttributes a = Files.readAttributes(in, BasicFileAttributes.class);
            if (a.isDirectory()) return fail(err, in, "is a directory");
            if (!a.isRegularFile()) return fail(err, in, "is not a regular file");
            if (a.size() > MAX_BYTES) return tooLarge(err, in);
            byte[] bytes;
            try (InputStream s = Files.newInputStream(in)) {
                bytes = s.readNBytes((int) MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) return tooLarge(err, in);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                return new String(bytes, StandardCharsets.ISO_8859_1);
            }
        } catch (NoSuchFileException e) {
            return fail(err, in, "does not exist");
        } catch (IOException e) {
            return fail(err, in, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static String tooLarge(PrintStream err, Path in) {
        return fail(err, in, "is larger than " + Sizes.format(MAX_BYTES));
    }

    private static String fail(PrintStream err, Path in, String why) {
        err.println(ControlChars.escape(in + ": cannot read: " + why));
        err.flush();
        return null;
    }
}
