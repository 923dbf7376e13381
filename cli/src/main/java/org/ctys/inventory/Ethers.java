package org.ctys.inventory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ctys.grammar.Mac;

/**
 * The {@code /etc/ethers} table (ethers(5)): one {@code MAC host} pair per line, {@code #}
 * comments, blank lines. Consulted for a MAC when the inventory has none.
 *
 * <p>A line that is not exactly a MAC and a name is skipped, never half-used; the skipped line
 * numbers are kept so a caller can warn. When a name appears twice the first line wins, as with
 * the C library's ether_hostton(3).
 */
public final class Ethers {

    public static final Path SYSTEM_FILE = Path.of("/etc/ethers");
    private static final Pattern BLANKS = Pattern.compile("\\s+");

    private final Map<String, Mac> byHost;
    private final List<Integer> skippedLines;

    private Ethers(Map<String, Mac> byHost, List<Integer> skippedLines) {
        this.byHost = byHost;
        this.skippedLines = Collections.unmodifiableList(skippedLines);
    }

    public static Ethers empty() { return new Ethers(Map.of(), new ArrayList<>()); }

    /**
     * Reads the file; a missing file is an empty table, since most systems have none. A FIFO or
     * device in its place is refused rather than read, as the inventory is.
     */
    public static Ethers load(Path file) {
        if (!Files.exists(file)) return empty();
        byte[] content = new ConfigFile(file, "ethers file").read(Limits.FILE_BYTES, Limits.FILE_TEXT);
        return parse(new String(content, StandardCharsets.UTF_8).lines().toList());
    }

    public static Ethers parse(List<String> lines) {
        Map<String, Mac> byHost = new HashMap<>();
        List<Integer> skipped = new ArrayList<>();
        int number = 0;
        for (String line : lines) {
            number++;
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (content.isEmpty()) continue;
            String[] fields = BLANKS.split(content);
            Mac mac = fields.length == 2 ? Mac.tryParse(fields[0]) : null;
            if (mac == null || mac.group()) {
                skipped.add(number);
                continue;
            }
            byHost.putIfAbsent(key(fields[1]), mac);
        }
        return new Ethers(byHost, skipped);
    }

    /** The MAC listed for a host name or IP address; host names match case-insensitively, as DNS does. */
    public Optional<Mac> lookup(String host) { return Optional.ofNullable(byHost.get(key(host))); }

    public int size() { return byHost.size(); }

    /** 1-based numbers of lines that were neither blank, comment, nor a MAC and a name. */
    public List<Integer> skippedLines() { return skippedLines; }

    private static String key(String host) { return host.toLowerCase(Locale.ROOT); }
}
