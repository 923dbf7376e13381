package org.ctys.bootd;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The spool: {@code jobs/<id>/} with job.json, script, output and (PXE jobs, while pending)
 * pxe-token; {@code media/<machine>.iso} for CD jobs. Several {@code job add}, {@code job await}
 * and the serving daemon use it at once: a job changes only under its lock (a file lock between
 * processes, a lock per job between the daemon's threads), and job.json is replaced by a rename,
 * so a reader without the lock sees the old or the new file, never half of one.
 */
final class JobStore {
    static final Pattern ID = Pattern.compile("[a-z2-7]{12}");
    static final String ID_FORM = "12 characters a-z and 2-7";
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Locks of this process, one per lock file: a FileLock is the whole JVM's, not a thread's. */
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    /** A new job and the token that goes with it (not stored anywhere but in pxe-token or the CD image). */
    record Created(Job job, String token) {}

    /** Why a new job was refused: one line for the user. */
    static final class Refused extends Exception {
        Refused(String message) { super(message); }
    }

    private final BootdConfig config;
    private final Clock clock;
    private final JobTicket.Media media;

    JobStore(BootdConfig config, Clock clock, JobTicket.Media media) {
        this.config = config;
        this.clock = clock;
        this.media = media;
    }

    Instant now() { return clock.instant(); }

    Path dir(String id) { return config.jobs().resolve(id); }

    Path script(String id) { return dir(id).resolve("script"); }

    Path output(String id) { return dir(id).resolve("output"); }

    Path pxeToken(String id) { return dir(id).resolve("pxe-token"); }

    Path iso(String machine) { return config.media().resolve(machine + ".iso"); }

    /**
     * Registers a job: refused while the machine (or its MAC) has a job not ended. PXE: the raw token
     * goes to pxe-token (0600) for the one /ipxe reply; CD: into the machine's image.
     */
    Created add(String machine, String mac, Job.Via via, Duration limit, boolean keep, byte[] script) throws Refused, IOException {
        createPrivateDirectory(config.jobs());
        return locked(config.jobs().resolve(".lock"), () -> {
            for (Job other : list()) {
                if (!other.state.ended() && (other.machine.equals(machine) || other.mac.equals(mac))) {
                    throw new Refused("machine " + other.machine + " (" + other.mac + ") has job " + other.id + " "
                            + other.state.word() + " until " + other.expires + "; cancel it first (job cancel " + other.id + ")");
                }
            }
            String id = newId();
            Path dir = dir(id);
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            String token = Token.create();
            Instant now = now();
            Job job = new Job(id, machine, mac, via, now, now.plus(limit), keep, Token.sha256(token));
            job.record(new Job.Event(now, "added", null, null, null));
            try {
                writePrivate(script(id), script);
                if (via == Job.Via.PXE) writePrivate(pxeToken(id), token.getBytes(StandardCharsets.US_ASCII));
                else writeMedia(machine, Optional.of(ticket(job, token)));
                write(job);
            } catch (IOException e) {
                // half a job is no job: nothing of it stays
                deleteTree(dir);
                throw new IOException("cannot add the job for " + machine + ": " + e.getMessage(), e);
            }
            return new Created(job, token);
        });
    }

    JobTicket ticket(Job job, String token) {
        return new JobTicket(config.name(), config.address(), config.https().port(), job.id, job.mac, token, job.keep);
    }

    /** The job as last written, expired first when its time is up; empty when there is none. */
    Optional<Job> read(String id) throws IOException {
        if (!ID.matcher(id).matches()) return Optional.empty();
        Optional<Job> j = readQuietly(id);
        if (j.isPresent() && !j.get().state.ended() && !now().isBefore(j.get().expires)) {
            return Optional.of(update(id, job -> job));
        }
        return j;
    }

    /** Every job, oldest first, each expired when its time is up. */
    List<Job> list() throws IOException {
        List<Job> out = new ArrayList<>();
        if (!Files.isDirectory(config.jobs())) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(config.jobs())) {
            for (Path p : ds) {
                String id = p.getFileName().toString();
                if (ID.matcher(id).matches()) read(id).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparing((Job j) -> j.created).thenComparing(j -> j.id));
        return out;
    }

    /**
     * Changes a job under its lock: expires it first when its time is up, applies {@code change},
     * writes it back, and takes away what its token opened once it is no longer pending.
     */
    <R> R update(String id, Function<Job, R> change) throws IOException {
        return lockedIo(dir(id).resolve("lock"), () -> {
            Job job = readQuietly(id).orElseThrow(() -> new NoSuchFileException(dir(id).resolve("job.json").toString()));
            boolean wasPending = job.state == Job.State.PENDING;
            expireIfDue(job);
            R r = change.apply(job);
            write(job);
            if (wasPending && job.state != Job.State.PENDING) revoke(job);
            return r;
        });
    }

    private void expireIfDue(Job job) {
        Instant now = now();
        if (job.state.ended() || now.isBefore(job.expires)) return;
        job.record(new Job.Event(now, "expired", null,
                job.state == Job.State.PENDING ? "not fetched by " + job.expires : "no result by " + job.expires, null));
        job.state = Job.State.EXPIRED;
        job.finishedAt = now;
    }

    /** The token has done its one fetch (or never will): no PXE reply carries it again, no CD holds it. */
    private void revoke(Job job) throws IOException {
        Files.deleteIfExists(pxeToken(job.id));
        if (job.via == Job.Via.CDROM) writeMedia(job.machine, Optional.empty());
    }

    /** The machine's CD image, written beside and renamed into place: a booting machine never reads half of one. */
    private void writeMedia(String machine, Optional<JobTicket> ticket) throws IOException {
        createPrivateDirectory(config.media());
        Path iso = iso(machine);
        Path tmp = iso.resolveSibling("." + machine + ".iso.tmp");
        Files.deleteIfExists(tmp);
        media.write(tmp, ticket);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        move(tmp, iso);
    }

    /** The raw token of a pending PXE job, for its one /ipxe reply; empty for any other. */
    Optional<String> pxeTokenOf(String id) throws IOException {
        try {
            return Optional.of(Files.readString(pxeToken(id), StandardCharsets.US_ASCII).strip());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private Optional<Job> readQuietly(String id) throws IOException {
        try {
            return Optional.of(Job.parse(Files.readString(dir(id).resolve("job.json"), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private void write(Job job) throws IOException {
        Path file = dir(job.id).resolve("job.json");
        Path tmp = file.resolveSibling("job.json.tmp");
        writePrivate(tmp, job.json().getBytes(StandardCharsets.UTF_8));
        move(tmp, file);
    }

    /** A file only the server's user can read, written whole. */
    static void writePrivate(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file);
        try (FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(content);
            while (b.hasRemaining()) ch.write(b);
        }
    }

    static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // another job add made it first
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static String newId() {
        char[] c = new char[12];
        for (int i = 0; i < c.length; i++) c[i] = BASE32[RANDOM.nextInt(32)];
        return new String(c);
    }

    interface Locked<R> {
        R run() throws IOException, Refused;
    }

    interface LockedIo<R> {
        R run() throws IOException;
    }

    private static <R> R locked(Path lockFile, Locked<R> body) throws IOException, Refused {
        ReentrantLock local = LOCAL.computeIfAbsent(lockFile.toAbsolutePath().normalize(), k -> new ReentrantLock());
        local.lock();
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            return body.run();
        } finally {
            local.unlock();
        }
    }

    private static <R> R lockedIo(Path lockFile, LockedIo<R> body) throws IOException {
        try {
            return locked(lockFile, (Locked<R>) body::run);
        } catch (Refused e) {
            throw new IllegalStateException(e);
        }
    }
}
