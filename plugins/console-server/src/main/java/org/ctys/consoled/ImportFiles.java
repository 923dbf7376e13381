package org.ctys.consoled;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.ctys.spi.ControlChars;

/** Reads the file an import converts; a file that cannot be read is one line on stderr. */
final class ImportFiles {

    /** Console server configurations are a few hundred kilobytes at most; a larger file is a mistake. */
    static final long MAX_BYTES = 16L << 20;

    private ImportFiles() {}

    /** The file's text (UTF-8, else ISO-8859-1 as the C servers read bytes), or null after reporting why not. */
    static String read(Path in, PrintStream err) {
        try {
            if (Files.isDirectory(in)) return fail(err, in, "is a directory");
            if (Files.size(in) > MAX_BYTES) return fail(err, in, "is larger than 16 MiB");
            byte[] bytes = Files.readAllBytes(in);
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

    private static String fail(PrintStream err, Path in, String why) {
        err.println(ControlChars.escape(in + ": cannot read: " + why));
        err.flush();
        return null;
    }
}
