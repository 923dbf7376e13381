package org.ctys.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ctys.grammar.Mac;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EthersTest {

    @TempDir Path dir;

    @Test
    void parsesPairsCommentsAndBlankLines() throws IOException {
        Path file = dir.resolve("ethers");
        Files.writeString(file, """
                # lab machines
                aa:bb:cc:dd:ee:01   lab01

                8:0:20:1:2:3\tLab02.example.org   # trailing comment
                aa:bb:cc:dd:ee:04 192.168.3.14
                """);
        Ethers ethers = Ethers.load(file);
        assertThat(ethers.size()).isEqualTo(3);
        assertThat(ethers.lookup("lab01")).contains(Mac.parse("aa:bb:cc:dd:ee:01"));
        assertThat(ethers.lookup("lab02.example.org")).contains(Mac.parse("08:00:20:01:02:03"));
        assertThat(ethers.lookup("192.168.3.14")).contains(Mac.parse("aa:bb:cc:dd:ee:04"));
        assertThat(ethers.lookup("lab99")).isEmpty();
        assertThat(ethers.skippedLines()).isEmpty();
    }

    @Test
    void skipsMalformedLinesWholeAndRemembersThem() {
        Ethers ethers = Ethers.parse(List.of(
                "zz:bb:cc:dd:ee:01 bad-mac",
                "aa:bb:cc:dd:ee:02",
                "aa:bb:cc:dd:ee:03 two names",
                "aa:bb:cc:dd:ee:04 good"));
        assertThat(ethers.lookup("bad-mac")).isEmpty();
        assertThat(ethers.lookup("two")).isEmpty();
        assertThat(ethers.lookup("good")).contains(Mac.parse("aa:bb:cc:dd:ee:04"));
        assertThat(ethers.skippedLines()).containsExactly(1, 2, 3);
    }

    @Test
    void firstEntryForANameWins() {
        Ethers ethers = Ethers.parse(List.of("aa:bb:cc:dd:ee:01 lab01", "aa:bb:cc:dd:ee:02 lab01"));
        assertThat(ethers.lookup("lab01")).contains(Mac.parse("aa:bb:cc:dd:ee:01"));
    }

    @Test
    void missingFileIsEmpty() {
        Ethers ethers = Ethers.load(dir.resolve("none"));
        assertThat(ethers.size()).isZero();
        assertThat(ethers.lookup("lab01")).isEmpty();
    }

    @Test
    void aFifoInPlaceOfTheTableIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("ethers");
        Fifo.make(fifo);
        try {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Fifo.HANG_GUARD, () ->
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Ethers.load(fifo))
                            .hasMessage("ethers file " + fifo + " is a FIFO (named pipe), not a regular file"));
        } finally {
            Fifo.release(fifo);
        }
    }
}
