package org.ctys.bootd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A configuration and spool in a test directory, with a CD medium that writes the ticket's job
 * file as the "image" (or "no job"), so a test reads what the image would hold.
 */
final class Spool {
    final BootdConfig config;
    final MovableClock clock = new MovableClock(Instant.parse("2026-11-30T08:00:00Z"));
    final List<Optional<JobTicket>> mediaWritten = new ArrayList<>();
    final JobStore store;

    Spool(Path dir) {
        config = new BootdConfig(dir.resolve("bootd.yaml"), "boot.example", "10.0.2.2", new BootdConfig.Listen("127.0.0.1", 8443),
                new BootdConfig.Listen("127.0.0.1", 8080), dir.resolve("s.crt"), dir.resolve("s.key"), dir.resolve("ca.crt"),
                dir.resolve("spool"), dir.resolve("spool/image"));
        store = new JobStore(config, clock, (iso, ticket) -> {
            synchronized (mediaWritten) {
                mediaWritten.add(ticket);
            }
            Files.writeString(iso, ticket.map(JobTicket::jobFile).orElse("no job\n"), StandardCharsets.US_ASCII);
        });
    }

    String read(Path p) throws IOException { return Files.readString(p, StandardCharsets.UTF_8); }
}
