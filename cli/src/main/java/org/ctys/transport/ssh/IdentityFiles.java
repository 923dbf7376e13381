package org.ctys.transport.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ctys.os.UnixFiles;

/**
 * The identity files a login may use, checked as OpenSSH's sshkey_perm_ok checks them: a private
 * key of one's own that group or others can access (any bit of 077) is ignored with a warning,
 * "UNPROTECTED PRIVATE KEY FILE", and the login goes on with the other keys. A file that does not
 * exist or cannot be read is left out silently, as OpenSSH does with the default names.
 */
final class IdentityFiles {

    /**
     * @param usable  the files to offer, in order
     * @param ignored why each unprotected file was left out, for the message should the login fail
     */
    record Checked(List<Path> usable, List<String> ignored) {
    }

    private IdentityFiles() {
    }

    static Checked check(List<Path> candidates, Warnings warnings) {
        List<Path> usable = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (Path p : candidates) {
            if (!Files.isReadable(p) || Files.isDirectory(p)) {
                continue;
            }
            String problem = problem(p);
            if (problem == null) {
                usable.add(p);
            } else {
                ignored.add(problem);
                warnings.once("identity " + p, "UNPROTECTED PRIVATE KEY FILE: " + problem + "; this private key is"
                        + " ignored, as ssh ignores it (chmod 600 " + p + ")");
            }
        }
        return new Checked(List.copyOf(usable), List.copyOf(ignored));
    }

    /** Null when the file is private enough; else the OpenSSH-worded reason. */
    static String problem(Path p) {
        try {
            UnixFiles.Stat s = UnixFiles.stat(p);
            // OpenSSH checks only files of the user's own: root may use a key another user keeps private
            if (s.uid() == UnixFiles.currentUid() && (s.permissions() & 077) != 0) {
                return String.format("permissions %04o for '%s' are too open (group or others can access it)",
                        s.permissions(), p);
            }
            return null;
        } catch (IOException e) {
            return null; // no Unix modes here: nothing to compare with OpenSSH's rule
        }
    }
}
