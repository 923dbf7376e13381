package org.ctys.bootd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import org.ctys.grammar.Mac;

/**
 * The one-time tokens' rules, for the script fetch and the result post. The job's token (the one a
 * PXE boot carries on its kernel command line, in clear on the LAN) opens one fetch, presented with
 * the job's MAC before the job expires. The fetch's answer gives the machine a second, fresh token
 * in its {@value #RESULT_TOKEN} header, inside TLS only: that one, and only that one, opens one result
 * post. Someone who read the job's token off the LAN and waited for the machine's fetch cannot post
 * a result in its name; trying is recorded. Tokens are compared by hash, in constant time. A request
 * that holds a right token but breaks a rule (a reuse, another MAC, too late, the fetch token on the
 * result) is recorded in the job, with where it came from, so {@code job await} and {@code job list}
 * report it. Answers never say more than the client needs: a wrong token or an unknown job are the
 * same 403.
 */
final class TokenRules {
    static final String FORBIDDEN = "forbidden";
    /** The header of a script fetch's answer that carries the result token. */
    static final String RESULT_TOKEN = "X-Ctys-Result-Token";

    private final JobStore store;

    TokenRules(JobStore store) { this.store = store; }

    /** GET /job/ID/script. */
    Answer fetch(String id, String token, String mac, String from) throws IOException {
        Optional<Answer> refused = check(id, token, mac, from, "script");
        if (refused.isPresent()) return refused.get();
        byte[] script;
        try {
            script = Files.readAllBytes(store.script(id));
        } catch (NoSuchFileException e) {
            return Answer.text(500, id, "the job's script is missing from the spool");
        }
        Answer a = store.update(id, job -> {
            if (job.state != Job.State.PENDING) return refusedFor(job, from, "fetch");
            String resultToken = Token.create();
            job.state = Job.State.FETCHED;
            job.resultTokenSha256 = Token.sha256(resultToken);
            job.fetchedFrom = from;
            job.fetchedAt = store.now();
            job.record(new Job.Event(job.fetchedAt, "fetched", from, null, null));
            return Answer.ok(script, id, Map.of("Content-Type", "text/plain", RESULT_TOKEN, resultToken));
        });
        return a;
    }

    /** POST /job/ID/result: with the result token the fetch gave, only once. */
    Answer post(String id, String token, String mac, String from, InputStream body) throws IOException {
        Optional<Answer> refused = check(id, token, mac, from, "result");
        if (refused.isPresent()) return refused.get();
        Path tmp = store.dir(id).resolve("output." + Thread.currentThread().getId() + ".tmp");
        ResultBody result;
        try (OutputStream out = Files.newOutputStream(tmp)) {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            result = ResultBody.read(body, out);
        } catch (ResultBody.Bad e) {
            Files.deleteIfExists(tmp);
            return Answer.text(e.status, id, e.getMessage());
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            return store.update(id, job -> {
                if (job.state != Job.State.FETCHED) return refusedFor(job, from, "result");
                try {
                    Files.move(tmp, store.output(id), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    return Answer.text(500, id, "cannot keep the output: " + e.getMessage());
                }
                job.state = Job.State.DONE;
                job.exit = result.exit;
                job.outputBytes = result.sent;
                job.finishedAt = store.now();
                job.record(new Job.Event(job.finishedAt, "done", from, null, result.exit));
                return Answer.ok(("ok\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII), id,
                        Map.of("Content-Type", "text/plain"));
            });
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The token (the job's for the script, the fetch's result token for the result), then the MAC,
     * then the state (read only; the caller rechecks the state under the lock).
     */
    private Optional<Answer> check(String id, String token, String mac, String from, String what) throws IOException {
        Optional<Job> found = JobStore.ID.matcher(id).matches() ? store.read(id) : Optional.empty();
        if (found.isEmpty()) return Optional.of(Answer.text(403, null, FORBIDDEN + " (no such job)").withBody(FORBIDDEN));
        Job job = found.get();
        boolean result = what.equals("result");
        if (!Token.matches(token, result ? job.resultTokenSha256 : job.tokenSha256)) {
            if (result && Token.matches(token, job.tokenSha256)) {
                // the job's own token on the result: the machine never does that, whoever read it off the LAN would
                store.update(id, j -> {
                    j.record(new Job.Event(store.now(), "refused", from, "result with the fetch token, not the one the script came with", null));
                    return null;
                });
                return Optional.of(Answer.text(403, id, FORBIDDEN + " (the fetch token on the result)").withBody(FORBIDDEN));
            }
            return Optional.of(Answer.text(403, id, FORBIDDEN + " (wrong token)").withBody(FORBIDDEN));
        }
        Mac presented = mac == null ? null : Mac.tryParse(mac.strip());
        if (presented == null || !presented.toString().equals(job.mac)) {
            String shown = presented == null ? "no valid X-Ctys-Mac" : "MAC " + presented;
            store.update(id, j -> {
                j.record(new Job.Event(store.now(), "refused", from, what + " with the token from " + shown, null));
                return null;
            });
            return Optional.of(Answer.text(403, id, FORBIDDEN + " (wrong MAC)").withBody(FORBIDDEN));
        }
        Job.State state = job.state;
        boolean open = result ? state == Job.State.FETCHED : state == Job.State.PENDING;
        if (open) return Optional.empty();
        return Optional.of(store.update(id, j -> refusedFor(j, from, what)));
    }

    /** The token was right but its one use of this kind is gone: recorded, 410. */
    private Answer refusedFor(Job job, String from, String what) {
        String reason = switch (job.state) {
            case EXPIRED -> "expired";
            case CANCELLED -> "cancelled";
            default -> "token already used"; // never PENDING: a result token exists only once the script was fetched
        };
        job.record(new Job.Event(store.now(), "refused", from, what + ": " + reason, null));
        return Answer.text(410, job.id, reason);
    }
}
