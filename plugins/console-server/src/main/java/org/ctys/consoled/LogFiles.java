package org.ctys.consoled;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The files of one console's log: {@code <dir>/<console>.log} being written, and the rotated ones
 * {@code <console>.log.1} (the newest) to {@code .<keep>} (the oldest). Numbers are found by listing
 * the directory, so a gap (a file removed by hand, a smaller keep) is no end of the history; what
 * is not a regular file under such a name is no part of it: a symbolic link is never followed, so
 * a link put there cannot make the daemon write elsewhere, nor replay another file to a user.
 */
final class LogFiles {
    /** How a log file is opened for reading: never through a symbolic link (O_NOFOLLOW). */
    static final OpenOption[] READ = {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS};

    /** Host-name characters, as console names are (the spec's limit: 63). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,62}");

    private final Path dir;
    private final String console;

    LogFiles(Path dir, String console) {
        if (console == null || !NAME.matcher(console).matches()) {
            throw new IllegalArgumentException("not a console name for a log file (letters, digits, '-', '_', '.', at most 63, "
                    + "not starting with '.'): " + console);
        }
        this.dir = dir;
        this.console = console;
    }

    Path dir() { return dir; }

    String console() { return console; }

    Path current() { return dir.resolve(console + ".log"); }

    Path rotated(int number) { return dir.resolve(console + ".log." + number); }

    /** The numbers of the rotated files there are, ascending (1 = the newest). */
    List<Integer> rotatedNumbers() throws IOException {
        List<Integer> numbers = new ArrayList<>();
        if (!Files.isDirectory(dir)) return numbers;
        String prefix = console + ".log.";
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path f : files) {
                String rest = f.getFileName().toString().substring(prefix.length());
                if (!rest.isEmpty() && rest.length() <= 9 && rest.chars().allMatch(c -> c >= '0' && c <= '9') && rest.charAt(0) != '0'
                        && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    numbers.add(Integer.parseInt(rest));
                }
            }
        }
        Collections.sort(numbers);
        return numbers;
    }

    /** Every file of the log that exists, the oldest first, the one being written last. */
    List<Path> oldestFirst() throws IOException {
        List<Integer> numbers = rotatedNumbers();
        List<Path> files = new ArrayList<>();
        for (int i = numbers.size() - 1; i >= 0; i--) files.add(rotated(numbers.get(i)));
        if (Files.isRegularFile(current(), LinkOption.NOFOLLOW_LINKS)) files.add(current());
        return files;
    }

    /** Bytes of the rotated files together. */
    long rotatedBytes() throws IOException {
        long sum = 0;
        for (int n : rotatedNumbers()) {
            try {
                sum += Files.size(rotated(n));
            } catch (NoSuchFileException e) {
                // removed in between by hand: not part of the log any more
            }
        }
        return sum;
    }

    /**
     * Shifts the history by one: files past {@code keep} removed, {@code .n} renamed to {@code .n+1}
     * from the oldest on, then the current file to {@code .1} (removed when keep is 0). Each rename
     * is one rename(2): a reader sees every file whole under one of its names. Stops at the first
     * failure, before a rename could replace a file that failed to move on.
     *
     * @return the bytes of the rotated files removed
     */
    long shift(int keep) throws IOException {
        List<Integer> numbers = rotatedNumbers();
        long removed = 0;
        for (int i = numbers.size() - 1; i >= 0; i--) {
            int n = numbers.get(i);
            if (n >= keep) removed += remove(rotated(n));
            else Files.move(rotated(n), rotated(n + 1), StandardCopyOption.ATOMIC_MOVE);
        }
        if (keep == 0) Files.deleteIfExists(current());
        else Files.move(current(), rotated(1), StandardCopyOption.ATOMIC_MOVE);
        return removed;
    }

    private static long remove(Path file) throws IOException {
        try {
            long size = Files.size(file);
            Files.delete(file);
            return size;
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /** The directory, made (0750) when missing, and {@linkplain #checkDirectory checked}. */
    void makeDirectory() throws IOException {
        makeDirectory(dir);
    }

    /** A log directory, made (0750) when missing, and {@linkplain #checkDirectory checked}. */
    static void makeDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            try {
                Files.createDirectory(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) throw e;
            }
        }
        checkDirectory(dir);
    }

    /**
     * Refuses a log directory that another user could put files in (as sshd's StrictModes does):
     * one writable by its group or by others, or owned by someone other than the daemon's user or
     * root. Whoever can write there can replace a console's log with a link or a file of theirs.
     */
    static void checkDirectory(Path dir) throws IOException {
        org.ctys.os.UnixFiles.Stat st = org.ctys.os.UnixFiles.stat(dir);
        if (!st.ownedByUserOrRoot()) {
            throw new IOException("the log directory " + dir + " belongs to uid " + st.uid() + ", not to uid "
                    + org.ctys.os.UnixFiles.currentUid()
                    + " (who runs the daemon) nor root: its owner could replace a console's log; chown it");
        }
        if (st.writableByOthers()) {
            throw new IOException("the log directory " + dir + " is writable by " + ((st.permissions() & 02) != 0 ? "everyone"
                    : "its group") + " (" + PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)) + "): another"
                    + " user could replace a console's log; chmod go-w " + dir);
        }
    }

    /** The current file, made (0640: a console shows what its machine says) when missing; never a link. */
    void makeCurrent() throws IOException {
        try {
            Files.createFile(current());
            Files.setPosixFilePermissions(current(), PosixFilePermissions.fromString("rw-r-----"));
        } catch (FileAlreadyExistsException e) {
            // continued as it is, if it is a file
        }
        if (!Files.isRegularFile(current(), LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(current() + " is not a regular file (a symbolic link?): the log is not written through it");
        }
    }
}
