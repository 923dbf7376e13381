package org.ctys.bootd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where ctys-bootd meets the recovery image builder: {@code --build-image} and the per-machine CD
 * image of {@code job add --via cdrom}. The builder (RecoveryImage, IsoImage) is its own part of
 * ctys-bootd; these two methods are the only places that name it.
 */
final class Images {
    /** What {@code --build-image} runs: kernel and initrd into {@code imageDir}. */
    interface Builder {
        void build(Path imageDir, Path caCertificate, String serverName, Optional<String> kernelVersion) throws Exception;
    }

    private static final String MISSING = "this build of ctys has no recovery image builder (RecoveryImage, IsoImage)";

    private Images() {}

    static Builder builder() {
        return (dir, ca, name, kernel) -> {
            throw new IOException(MISSING);
        };
    }

    /** Writes spool/media/MACHINE.iso: the recovery image with the job's ticket, or one that says there is no job. */
    static JobTicket.Media media(BootdConfig config) {
        return (iso, ticket) -> {
            throw new IOException(MISSING);
        };
    }
}
