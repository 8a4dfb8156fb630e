package dev.lectern.pipeline.output;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads a results file (one record per line, sorted) back as groups: a record without a parent starts its input
 * file's group, embedded records follow it. Used to keep an earlier run's records on resume.
 */
public final class ResultsFileSource implements GroupSource {

    private final BufferedReader reader;
    private final String taskConfigHash;
    private final Predicate<RecordGroup> filter;
    private JsonNode pending;

    /** @param taskConfigHash the hash the file's run manifest states for these records */
    public ResultsFileSource(Path file, String taskConfigHash, Predicate<RecordGroup> filter) throws IOException {
        this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        this.taskConfigHash = taskConfigHash;
        this.filter = filter;
    }

    @Override
    public RecordGroup next() throws IOException {
        while (true) {
            JsonNode first = pending != null ? pending : nextRecord();
            pending = null;
            if (first == null) {
                return null;
            }
            List<JsonNode> records = new ArrayList<>();
            records.add(first);
            for (JsonNode r; (r = nextRecord()) != null; ) {
                if (r.path("parent").isNull() || r.path("parent").isMissingNode()) {
                    pending = r;
                    break;
                }
                records.add(r);
            }
            JsonNode sha = first.get("sha256");
            RecordGroup group = new RecordGroup(first.path("path").asText(),
                    sha == null || sha.isNull() ? null : sha.asText(), taskConfigHash, records);
            if (filter.test(group)) {
                return group;
            }
        }
    }

    private JsonNode nextRecord() throws IOException {
        for (String line; (line = reader.readLine()) != null; ) {
            JsonNode node = Json.readLine(line);
            if (node != null && node.path("path").isTextual()) {
                return node;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
