package org.ctys.bootd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The body of a result post: a first line {@code exit <n>}, then the script's output as it was.
 * The first {@link #KEPT} bytes of output are kept, the rest is read and counted and a note says
 * where it was cut; past {@link #MAX_BODY} bytes the post is refused.
 */
final class ResultBody {
    static final int KEPT = 1 << 20;
    static final long MAX_BODY = 256L << 20;
    private static final int MAX_FIRST_LINE = 64;
    private static final Pattern EXIT = Pattern.compile("exit (\\d{1,3})\r?");

    /** Why a body was refused: the status and a line for the client and the log. */
    static final class Bad extends Exception {
        final int status;

        Bad(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    final int exit;
    /** Output bytes the client sent, kept or not. */
    final long sent;

    private ResultBody(int exit, long sent) {
        this.exit = exit;
        this.sent = sent;
    }

    /** Reads {@code in} to its end; the kept output (and the note, if cut) goes to {@code out}. */
    static ResultBody read(InputStream in, OutputStream out) throws IOException, Bad {
        StringBuilder first = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (first.length() == MAX_FIRST_LINE) throw new Bad(400, "the first line must be 'exit <n>'");
            first.append((char) c);
        }
        Matcher m = EXIT.matcher(first);
        if (c == -1 && first.length() == 0 || !m.matches() || Integer.parseInt(m.group(1)) > 255) {
            throw new Bad(400, "the first line must be 'exit <n>' (n 0-255)");
        }
        long sent = 0;
        byte[] buf = new byte[16384];
        int n;
        while ((n = in.read(buf)) != -1) {
            if (sent < KEPT) out.write(buf, 0, (int) Math.min(n, KEPT - sent));
            sent += n;
            if (sent + first.length() > MAX_BODY) throw new Bad(413, "the result is longer than " + (MAX_BODY >> 20) + " MiB");
        }
        if (sent > KEPT) {
            out.write(("\n[ctys-bootd: output cut at " + KEPT + " bytes; " + sent + " bytes were sent]\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return new ResultBody(Integer.parseInt(m.group(1)), sent);
    }
}
