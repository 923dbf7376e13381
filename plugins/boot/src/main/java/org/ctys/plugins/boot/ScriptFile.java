package org.ctys.plugins.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.ctys.exit.CtysException;

/**
 * The script of a job, read whole before anything is sent: a file that is missing, unreadable, not
 * a regular file, empty or larger than {@link #LIMIT} is a usage error naming it.
 */
record ScriptFile(String name, byte[] bytes) {
    /** What a recovery system runs from RAM is a shell script; a larger payload belongs on the server. */
    static final int LIMIT = 1024 * 1024;

    static ScriptFile read(String given) {
        Path p = Path.of(given);
        String what = "suboption 'SCRIPT:" + given + "': ";
        if (Files.isDirectory(p)) throw CtysException.usage(what + "is a directory, not a script file");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] bytes = in.readNBytes(LIMIT + 1);
            if (bytes.length == 0) throw CtysException.usage(what + "the script is empty");
            if (bytes.length > LIMIT) {
                throw CtysException.usage(what + "the script is larger than the limit of " + LIMIT / 1024 + " KiB");
            }
            return new ScriptFile(given, bytes);
        } catch (NoSuchFileException e) {
            throw CtysException.usage(what + "no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw CtysException.usage(what + "permission denied");
        } catch (IOException e) {
            throw CtysException.usage(what + "cannot be read: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }
}
