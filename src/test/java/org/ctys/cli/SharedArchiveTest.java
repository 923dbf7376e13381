package org.ctys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start the JVM made without the launcher's archive leaves the mark that has the next launch make it again. */
class SharedArchiveTest {

    @Test
    void onlyAStartWithoutTheArchiveMarksIt(@TempDir Path dir) {
        String info = System.getProperty("java.vm.info");
        Path stale = dir.resolve("ctys.jsa.stale");
        try {
            System.setProperty(SharedArchive.PROPERTY, dir.resolve("ctys.jsa").toString());
            System.setProperty("java.vm.info", "mixed mode, sharing");
            SharedArchive.markIfUnused();
            assertThat(stale).as("mapped: nothing to do").doesNotExist();

            System.setProperty("java.vm.info", "mixed mode");
            SharedArchive.markIfUnused();
            assertThat(stale).content().contains("java.home=" + System.getProperty("java.home"))
                    .contains("java.vm.version=" + System.getProperty("java.vm.version"))
                    .contains("jar=" + System.getProperty("java.class.path"));
            SharedArchive.markIfUnused(); // marked already: written again, nothing fails
            assertThat(stale).content().isEqualTo(SharedArchive.mark());

            System.clearProperty(SharedArchive.PROPERTY);
            java.nio.file.Files.delete(stale);
            SharedArchive.markIfUnused();
            assertThat(stale).as("not started by the launcher: no archive to mark").doesNotExist();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } finally {
            System.setProperty("java.vm.info", info);
            System.clearProperty(SharedArchive.PROPERTY);
        }
    }
}
