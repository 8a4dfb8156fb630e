package dev.lectern.pipeline.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each field of a job file is written (line numbers), keyed by its path ({@code task.labels[1].name}), so
 * that checks made after parsing can still point at a line.
 */
public final class LocationIndex {

    private final Map<String, Integer> lines = new HashMap<>();
    private final Map<String, String> scalars = new HashMap<>();

    private LocationIndex() {
    }

    static LocationIndex of(String yaml) {
        LocationIndex index = new LocationIndex();
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            if (p.nextToken() != null) {
                index.walk(p, "");
            }
        } catch (IOException | RuntimeException e) {
            // A file the parser rejects is reported by the parse itself; the index only helps later checks.
        }
        return index;
    }

    private void walk(JsonParser p, String path) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String child = path.isEmpty() ? p.currentName() : path + "." + p.currentName();
                lines.putIfAbsent(child, p.currentTokenLocation().getLineNr());
                p.nextToken();
                walk(p, child);
            }
        } else if (token == JsonToken.START_ARRAY) {
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                String child = path + "[" + i++ + "]";
                lines.putIfAbsent(child, p.currentTokenLocation().getLineNr());
                walk(p, child);
            }
        } else if (token != null && token.isScalarValue()) {
            scalars.putIfAbsent(path, p.getText());
        }
    }

    /** The scalar written at {@code path} as text, or null when there is none. */
    public String scalarAt(String path) {
        return scalars.get(path);
    }

    /** The field names written directly under {@code path} ("" for the top level). */
    public java.util.List<String> childrenOf(String path) {
        String prefix = path.isEmpty() ? "" : path + ".";
        return lines.keySet().stream()
                .filter(k -> k.startsWith(prefix) && !k.substring(prefix.length()).contains(".")
                        && !k.substring(prefix.length()).contains("["))
                .map(k -> k.substring(prefix.length())).sorted().toList();
    }

    /** The line of exactly {@code path}, or 0 when it is not written. */
    public int exactLineOf(String path) {
        return lines.getOrDefault(path, 0);
    }

    /** The line of the field at {@code path}, or of its closest written ancestor; 0 when nothing matches. */
    public int lineOf(String path) {
        String p = path;
        while (!p.isEmpty()) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return 0;
    }
}
