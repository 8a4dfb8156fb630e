package dev.lectern.pipeline.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The records one input file produced (its own, then its embedded documents'), kept together: the unit that is
 * journaled, sorted, reused on resume and written out.
 *
 * @param file           the input file's relative path: the sort key
 * @param sha256         the input file's SHA-256, or null when it could not be read
 * @param taskConfigHash the hash of everything that shapes the records (see {@code RunIdentity})
 * @param records        the records, as JSON objects in output order
 */
@JsonPropertyOrder({"file", "sha256", "taskConfigHash", "records"})
public record RecordGroup(String file, String sha256, String taskConfigHash, List<JsonNode> records) {

    public boolean allOk() {
        return records.stream().allMatch(r -> DocumentRecord.OK.equals(r.path("status").asText()));
    }

    /** One journal or run-file line. */
    public String toLine() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("file", file);
        node.put("sha256", sha256);
        node.put("taskConfigHash", taskConfigHash);
        ArrayNode array = node.putArray("records");
        records.forEach(array::add);
        return Json.write(node);
    }

    /** Parses a journal or run-file line; null for a torn or foreign line. */
    public static RecordGroup fromLine(String line) {
        JsonNode node = Json.readLine(line);
        if (node == null || !node.path("file").isTextual() || !node.path("records").isArray()) {
            return null;
        }
        List<JsonNode> records = new ArrayList<>();
        node.get("records").forEach(records::add);
        return new RecordGroup(node.get("file").asText(), textOrNull(node.get("sha256")),
                textOrNull(node.get("taskConfigHash")), records);
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
