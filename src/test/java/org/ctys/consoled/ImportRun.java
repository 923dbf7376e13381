package org.ctys.consoled;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One run of an import: its exit status, stdout, stderr lines, and stdout read back by Jackson's YAML reader.
 * Every configuration an import writes is also read by the daemon's own loader, which must take it:
 * what the loader refuses, the import must have refused.
 */
record ImportRun(int status, String out, List<String> err, Map<String, Object> yaml) {

    interface Importer { int run(Path in, PrintStream out, PrintStream err); }

    static ImportRun of(Importer importer, Path in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = importer.run(in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        @SuppressWarnings("unchecked")
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        com.fasterxml.jackson.databind.JsonNode tree = text.isBlank() ? null : mapper.readTree(text);
        Map<String, Object> yaml = tree == null || tree.isMissingNode() || tree.isNull() ? null : mapper.convertValue(tree, Map.class);
        if (yaml != null) loads(text);
        String e = err.toString(StandardCharsets.UTF_8);
        return new ImportRun(status, text, e.isEmpty() ? List.of() : List.of(e.split("\n")), yaml);
    }

    private static void loads(String text) throws IOException {
        Path dir = Files.createTempDirectory("import-loads");
        Path file = Files.writeString(dir.resolve(ConfigReader.FILE_NAME), text);
        try {
            ConfigReader.read(file, Map.of(), dir);
        } catch (org.ctys.exit.CtysException e) {
            throw new AssertionError("ctys-consoled --check would refuse what the import wrote: " + e.getMessage() + "\n" + text, e);
        } finally {
            Files.delete(file);
            Files.delete(dir);
        }
    }

    static Path sample(String name) {
        try {
            return Path.of(ImportRun.class.getResource("import/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** A value by its path of keys: at("consoles", "lab07", "serial", "device"). */
    @SuppressWarnings("unchecked")
    Object at(String... keys) {
        Object o = yaml;
        for (String k : keys) {
            if (!(o instanceof Map<?, ?> m)) return null;
            o = ((Map<String, Object>) m).get(k);
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    /** Everything the import said, its output and its error lines: where a secret must never appear. */
    String said() { return out + String.join("\n", err); }

    Map<String, Object> consoles() { return (Map<String, Object>) yaml.get("consoles"); }
}
