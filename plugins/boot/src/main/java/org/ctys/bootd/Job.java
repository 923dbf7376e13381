package org.ctys.bootd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One job as the spool keeps it ({@code jobs/<id>/job.json}): the machine, its MAC, how it boots,
 * when the job ends, the SHA-256 of its token (never the token), its state and what happened to it.
 * Read and written only under the job's lock ({@link JobStore#update}).
 */
final class Job {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Refusals recorded per job: a client with the token could otherwise grow job.json without end. */
    static final int MAX_EVENTS = 64;

    enum State {
        PENDING, FETCHED, DONE, EXPIRED, CANCELLED;

        boolean ended() { return this == DONE || this == EXPIRED || this == CANCELLED; }

        String word() { return name().toLowerCase(Locale.ROOT); }

        static State of(String word) { return valueOf(word.toUpperCase(Locale.ROOT)); }
    }

    enum Via {
        PXE, CDROM;

        String word() { return name().toLowerCase(Locale.ROOT); }
    }

    /** Something that happened to the job: a change of state, or a refused request that held its token. */
    record Event(Instant at, String kind, String from, String reason, Integer exit) {
        ObjectNode json() {
            ObjectNode o = JSON.createObjectNode();
            o.put("at", at.toString());
            o.put("event", kind);
            if (from != null) o.put("from", from);
            if (reason != null) o.put("reason", reason);
            if (exit != null) o.put("exit", exit);
            return o;
        }

        static Event of(JsonNode o) {
            return new Event(Instant.parse(o.get("at").asText()), o.get("event").asText(), text(o, "from"), text(o, "reason"),
                    o.hasNonNull("exit") ? o.get("exit").asInt() : null);
        }
    }

    final String id;
    final String machine;
    final String mac;
    final Via via;
    final Instant created;
    final Instant expires;
    final boolean keep;
    final String tokenSha256;
    /** SHA-256 of the result token the fetch gave the machine inside TLS; null until the fetch. */
    String resultTokenSha256;
    State state;
    String fetchedFrom;
    Instant fetchedAt;
    Integer exit;
    Instant finishedAt;
    long outputBytes;
    final List<Event> events = new ArrayList<>();

    Job(String id, String machine, String mac, Via via, Instant created, Instant expires, boolean keep, String tokenSha256) {
        this.id = id;
        this.machine = machine;
        this.mac = mac;
        this.via = via;
        this.created = created;
        this.expires = expires;
        this.keep = keep;
        this.tokenSha256 = tokenSha256;
        this.state = State.PENDING;
    }

    void record(Event e) {
        if (events.size() < MAX_EVENTS || !e.kind().equals("refused")) events.add(e);
    }

    /** Refused requests that held this job's token (a reuse, another MAC, a late one). */
    long refusals() { return events.stream().filter(e -> e.kind().equals("refused")).count(); }

    String json() {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        o.put("machine", machine);
        o.put("mac", mac);
        o.put("via", via.word());
        o.put("created", created.toString());
        o.put("expires", expires.toString());
        o.put("keep", keep);
        o.put("state", state.word());
        o.put("tokenSha256", tokenSha256);
        o.put("resultTokenSha256", resultTokenSha256);
        o.put("fetchedFrom", fetchedFrom);
        o.put("fetchedAt", fetchedAt == null ? null : fetchedAt.toString());
        if (exit == null) o.putNull("exit");
        else o.put("exit", exit);
        o.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
        o.put("outputBytes", outputBytes);
        ArrayNode a = o.putArray("events");
        for (Event e : events) a.add(e.json());
        return o.toString();
    }

    static Job parse(String text) throws com.fasterxml.jackson.core.JsonProcessingException {
        JsonNode o = JSON.readTree(text);
        Job j = new Job(o.get("id").asText(), o.get("machine").asText(), o.get("mac").asText(),
                Via.valueOf(o.get("via").asText().toUpperCase(Locale.ROOT)), Instant.parse(o.get("created").asText()),
                Instant.parse(o.get("expires").asText()), o.get("keep").asBoolean(), o.get("tokenSha256").asText());
        j.state = State.of(o.get("state").asText());
        j.resultTokenSha256 = text(o, "resultTokenSha256");
        j.fetchedFrom = text(o, "fetchedFrom");
        j.fetchedAt = o.hasNonNull("fetchedAt") ? Instant.parse(o.get("fetchedAt").asText()) : null;
        j.exit = o.hasNonNull("exit") ? o.get("exit").asInt() : null;
        j.finishedAt = o.hasNonNull("finishedAt") ? Instant.parse(o.get("finishedAt").asText()) : null;
        j.outputBytes = o.path("outputBytes").asLong(0);
        for (JsonNode e : o.path("events")) j.events.add(Event.of(e));
        return j;
    }

    private static String text(JsonNode o, String key) {
        return o.hasNonNull(key) ? o.get(key).asText() : null;
    }
}
