package org.ctys.consoled;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.ctys.exit.CtysException;
import org.ctys.transport.ssh.server.AuthorizedKeys;
import org.ctys.transport.ssh.server.KeyAuthorizer;

/**
 * Who may log in with which key: a user with the keys of their own authorized_keys file, or of any
 * group they are a member of (they log in as themselves). Every file is read when the configuration
 * is (a missing or malformed one is a configuration error, exit 3); a reload replaces them all at once.
 */
final class Logins implements KeyAuthorizer {

    private volatile Map<String, List<Predicate<PublicKey>>> byUser;

    private Logins(Map<String, List<Predicate<PublicKey>>> byUser) { this.byUser = byUser; }

    static Logins read(DaemonConfig config) {
        return new Logins(keys(config));
    }

    /** The keys of a newly read configuration: new logins are checked against them, and the open connections again (SshFrontDoor#dropRevoked). */
    void replace(Logins next) { byUser = next.byUser; }

    private static Map<String, List<Predicate<PublicKey>>> keys(DaemonConfig config) {
        Map<String, List<Predicate<PublicKey>>> out = new HashMap<>();
        Map<Path, Predicate<PublicKey>> files = new HashMap<>();
        config.userKeys().forEach((user, file) ->
                out.computeIfAbsent(user, k -> new ArrayList<>()).add(file(files, file, "user '" + user + "'")));
        config.groups().forEach((group, g) -> {
            if (g.keys() == null) return;
            Predicate<PublicKey> p = file(files, g.keys(), "group '" + group + "'");
            for (String member : g.members()) out.computeIfAbsent(member, k -> new ArrayList<>()).add(p);
        });
        out.replaceAll((k, v) -> List.copyOf(v));
        return Map.copyOf(out);
    }

    private static Predicate<PublicKey> file(Map<Path, Predicate<PublicKey>> read, Path file, String whose) {
        Predicate<PublicKey> p = read.get(file);
        if (p != null) return p;
        try {
            p = AuthorizedKeys.read(file);
        } catch (IOException e) {
            throw CtysException.config("keys of " + whose + ": " + e.getMessage(), e);
        }
        read.put(file, p);
        return p;
    }

    @Override
    public boolean accepts(String user, PublicKey key) {
        List<Predicate<PublicKey>> keys = byUser.get(user);
        if (keys == null) return false;
        for (Predicate<PublicKey> p : keys) if (p.test(key)) return true;
        return false;
    }
}
