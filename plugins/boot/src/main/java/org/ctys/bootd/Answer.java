package org.ctys.bootd;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the server answers one request: the status, the body, and for its log line the job and a
 * reason. Neither the reason nor the body ever holds a token or a script's text, except the body
 * of a successful script fetch.
 */
record Answer(int status, byte[] body, String job, String reason, Map<String, String> headers) {

    static Answer text(int status, String job, String reason) {
        return new Answer(status, (reason + "\n").getBytes(StandardCharsets.UTF_8), job, reason, Map.of());
    }

    static Answer ok(byte[] body, String job, Map<String, String> headers) {
        return new Answer(200, body, job, null, headers);
    }

    /** The same answer with another body: the log keeps the reason, the client learns only {@code text}. */
    Answer withBody(String text) {
        return new Answer(status, (text + "\n").getBytes(StandardCharsets.UTF_8), job, reason, headers);
    }
}
