package org.ctys.spi;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON a remote tool printed (a console server's {@code list --json}), read into plain Java values
 * for a plugin, which must not use a parser library itself: objects as {@code Map<String, Object>}
 * in their order, arrays as {@code List<Object>}, strings, numbers, booleans and null.
 */
public final class JsonText {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonText() {}

    /** One JSON document, nothing after it; anything else is an IllegalArgumentException saying where. */
    public static Object parse(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JacksonException e) {
            String why = e.getOriginalMessage();
            var at = e.getLocation();
            throw new IllegalArgumentException(at == null ? why : why + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")", e);
        }
    }
}
