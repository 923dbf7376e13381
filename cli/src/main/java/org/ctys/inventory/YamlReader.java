package org.ctys.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ctys.exit.CtysException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML into {@link YamlNode}s, keeping the line of every key and value. Streams tokens
 * once, so a large inventory costs one pass and no data binding.
 */
final class YamlReader {

    private static final YAMLFactory FACTORY = factory();

    private final Source source;
    private final YAMLParser parser;
    /** Mappings and lists open around the current token; SnakeYAML's own limit does not apply to streaming. */
    private int depth;

    private YamlReader(Source source, YAMLParser parser) {
        this.source = source;
        this.parser = parser;
    }

    private static YAMLFactory factory() {
        LoaderOptions options = new LoaderOptions();
        // SnakeYAML refuses documents over 3 MB by default; a large site inventory can exceed that.
        // The file was checked against the same limit before it was read (in bytes, never fewer
        // than its code points), so this one never fires first.
        options.setCodePointLimit((int) Limits.FILE_BYTES);
        return YAMLFactory.builder().loaderOptions(options).build();
    }

    /** The document's root, or null when the file holds no document (empty or only comments). */
    static YamlNode read(byte[] content, Source source) {
        try (YAMLParser parser = (YAMLParser) FACTORY.createParser(content)) {
            YamlReader reader = new YamlReader(source, parser);
            JsonToken first = parser.nextToken();
            if (first == null) return null;
            YamlNode root = reader.value(first);
            if (parser.nextToken() != null) {
                throw reader.here("only one YAML document is allowed in an inventory");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw syntaxError(e, source);
        } catch (IOException e) {
            throw CtysException.config("cannot read inventory file " + source.file() + ": " + e.getMessage(), e);
        }
    }

    private YamlNode value(JsonToken token) throws IOException {
        int line = line();
        if (parser.isCurrentAlias()) {
            // Jackson would hand back the alias name as if it were the value: silently wrong.
            throw here("YAML aliases (*" + parser.getText() + ") are not supported; write the value out");
        }
        return switch (token) {
            case START_OBJECT -> mapping(line);
            case START_ARRAY -> sequence(line);
            case VALUE_STRING -> scalar(YamlNode.Kind.TEXT, line);
            case VALUE_NUMBER_INT -> scalar(YamlNode.Kind.INTEGER, line);
            case VALUE_NUMBER_FLOAT -> scalar(YamlNode.Kind.DECIMAL, line);
            case VALUE_TRUE -> scalar(YamlNode.Kind.TRUE, line);
            case VALUE_FALSE -> scalar(YamlNode.Kind.FALSE, line);
            case VALUE_NULL -> new YamlNode.Scalar("", YamlNode.Kind.NULL, line);
            case VALUE_EMBEDDED_OBJECT -> throw here("binary values (" + tagOr("!!binary")
                    + ") are not allowed in an inventory; write the value as text");
            default -> throw here("unexpected YAML content " + token);
        };
    }

    private String tagOr(String fallback) {
        try {
            String tag = parser.getTypeId();
            return tag == null ? fallback : tag.startsWith("tag:yaml.org,2002:") ? "!!" + tag.substring(18) : tag;
        } catch (IOException e) {
            return fallback;
        }
    }

    private YamlNode.Scalar scalar(YamlNode.Kind kind, int line) throws IOException {
        return new YamlNode.Scalar(bounded(parser.getText(), "value"), kind, line);
    }

    private String bounded(String text, String what) {
        if (text.length() > Limits.SCALAR_CHARS) {
            throw here("a " + what + " of " + text.length() + " characters is longer than " + Limits.SCALAR_TEXT
                    + ", the limit for one " + what + " of an inventory");
        }
        return text;
    }

    private void enter() {
        if (++depth > Limits.DEPTH) {
            throw here("mappings and lists are nested more than " + Limits.DEPTH + " deep, the limit for an inventory");
        }
    }

    private YamlNode.Mapping mapping(int line) throws IOException {
        enter();
        List<YamlNode.Entry> entries = new ArrayList<>();
        JsonToken t;
        while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = bounded(parser.currentName(), "key");
            int keyLine = line();
            entries.add(new YamlNode.Entry(key, keyLine, value(parser.nextToken())));
        }
        if (t != JsonToken.END_OBJECT) throw here("unexpected YAML content " + t);
        depth--;
        return new YamlNode.Mapping(entries, line);
    }

    private YamlNode.Sequence sequence(int line) throws IOException {
        enter();
        List<YamlNode> items = new ArrayList<>();
        JsonToken t;
        while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) throw here("unexpected end of YAML");
            items.add(value(t));
        }
        depth--;
        return new YamlNode.Sequence(items, line);
    }

    private int line() { return parser.currentTokenLocation().getLineNr(); }

    private CtysException here(String message) { return source.error(line(), message); }

    /**
     * SnakeYAML knows where the problem is (its "problem mark"); Jackson's own location is
     * often the last good token, a line too early, so prefer SnakeYAML's when there is one.
     */
    private static CtysException syntaxError(JsonProcessingException e, Source source) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m) {
                Mark mark = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
                String problem = m.getProblem() != null ? m.getProblem() : m.getContext();
                String context = m.getProblem() != null && m.getContext() != null ? " (" + m.getContext() + ")" : "";
                int line = mark != null ? mark.getLine() + 1 : lineOf(e);
                return source.error(line, "YAML syntax error: " + oneLine(problem + context));
            }
        }
        return source.error(lineOf(e), "YAML syntax error: " + oneLine(String.valueOf(e.getOriginalMessage())));
    }

    private static int lineOf(JsonProcessingException e) {
        return e.getLocation() != null ? Math.max(1, e.getLocation().getLineNr()) : 1;
    }

    private static String oneLine(String text) {
        String firstLines = text.strip();
        return firstLines.replaceAll("\\s*\\R\\s*", " ");
    }
}
