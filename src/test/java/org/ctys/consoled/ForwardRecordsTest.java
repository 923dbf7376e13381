package org.ctys.consoled;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading records forwards: a record far longer than what is kept of it is cut while it is read. */
class ForwardRecordsTest {
    private static final String STAMP = "2026-12-01T10:00:00.000Z";

    @TempDir
    Path dir;

    /** A console that sent megabytes without a newline: the reader holds its last bytes, never the whole record. */
    @Test
    void aRecordLongerThanItsTextIsCutWhileItIsReadNotAfter() throws Exception {
        Path log = dir.resolve("lab07.log");
        int maxText = 64 * 1024;
        long textLength = 6L * 1024 * 1024 + 12_345; // a few MiB past the cap is proof enough of the bound
        try (FileChannel f = FileChannel.open(log, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            f.write(ByteBuffer.wrap((STAMP + " |before\n" + STAMP + " |").getBytes(US_ASCII)));
            byte[] chunk = new byte[100_000];
            for (long written = 0; written < textLength; written += chunk.length) {
                // each chunk's bytes count its offset in the text, so the bytes kept show where they came from
                for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) ('a' + (written + i) % 26);
                f.write(ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, textLength - written)));
            }
        }
        try (ForwardRecords records = new ForwardRecords(log, 0, maxText)) {
            assertThat(new String(records.next().text(), US_ASCII)).isEqualTo("before");
            LogRecord last = records.next();
            assertThat(last.ended()).isFalse();
            byte[] want = new byte[maxText];
            for (int i = 0; i < maxText; i++) want[i] = (byte) ('a' + (textLength - maxText + i) % 26);
            assertThat(Arrays.equals(last.text(), want)).as("the record's last %d bytes", maxText).isTrue();
            assertThat(records.held()).isLessThanOrEqualTo(LogStamp.HEADER + 2 * maxText + 64 * 1024);
            assertThat(records.next()).isNull();
        }
    }

    @Test
    void aRecordWithinItsTextIsKeptWholeAndNothingIsKeptOfTextWhenNoneIsWanted() throws Exception {
        Path log = dir.resolve("lab07.log");
        java.nio.file.Files.writeString(log, STAMP + " |one\n" + STAMP + " *a mark\n" + STAMP + " |" + "x".repeat(200_000) + "\n",
                US_ASCII);
        try (ForwardRecords records = new ForwardRecords(log, 0, 1024 * 1024)) {
            assertThat(new String(records.next().text(), US_ASCII)).isEqualTo("one");
            assertThat(new String(records.next().text(), US_ASCII)).isEqualTo("a mark");
            assertThat(records.next().text()).hasSize(200_000);
        }
        try (ForwardRecords records = new ForwardRecords(log, 0, 0)) {
            for (int i = 0; i < 3; i++) assertThat(records.next().text()).isEmpty();
            assertThat(records.next()).isNull();
        }
    }
}
