package org.ctys.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs hyperfine (Debian package hyperfine) on several commands in one run and returns their medians. */
final class Hyperfine {

    private Hyperfine() {}

    /** Label to median seconds, in the order given. Commands run through sh, output discarded. */
    static Map<String, Double> medians(Map<String, String> commands, int runs, String prepare) throws IOException, InterruptedException {
        Path json = Files.createTempFile("hyperfine", ".json");
        List<String> cmd = new ArrayList<>(List.of("hyperfine", "--style", "none", "--warmup", "3", "--runs",
                String.valueOf(runs), "--export-json", json.toString()));
        if (prepare != null) cmd.addAll(List.of("--prepare", prepare));
        for (Map.Entry<String, String> c : commands.entrySet()) cmd.addAll(List.of("--command-name", c.getKey(), c.getValue()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IOException("hyperfine is not installed (Debian package hyperfine)", e);
        }
        if (p.waitFor() != 0) throw new IOException("hyperfine failed: " + String.join(" ", cmd));
        JsonNode results = new ObjectMapper().readTree(json.toFile()).get("results");
        Files.delete(json);
        Map<String, Double> out = new LinkedHashMap<>();
        for (JsonNode r : results) out.put(r.get("command").asText(), r.get("median").asDouble());
        return out;
    }

    static String ms(double seconds) { return String.format("%8.1f ms", seconds * 1000); }
}
