package dev.lectern.pipeline.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lectern.pipeline.model.ModelIdentity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The run manifest written beside the results ({@code NAME.manifest.json}): what produced the records and how the
 * run went. Timings live here, never in the records. Documented in {@code docs/output-schema.md}.
 */
@JsonPropertyOrder({"job", "results", "configHash", "taskConfigHash", "task", "model", "versions", "runner",
        "workers", "counts", "startedAt", "finishedAt", "wallSeconds"})
public record RunManifest(String job, String results, String configHash, String taskConfigHash, String task,
                          ModelIdentity model, Versions versions, String runner, int workers,
                          ResultAssembler.Counts counts, String startedAt, String finishedAt, double wallSeconds) {

    /** {@code out/x.jsonl} → {@code out/x.manifest.json}. */
    public static Path pathFor(Path results) {
        String name = results.getFileName().toString();
        String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
        return results.resolveSibling(stem + ".manifest.json");
    }

    public void write(Path file) throws IOException {
        AtomicFile.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
    }

    /** The task configuration hash an existing manifest states, or null if there is none or it is unreadable. */
    public static String taskConfigHashIn(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(file.toFile());
            JsonNode hash = node == null ? null : node.get("taskConfigHash");
            return hash == null || !hash.isTextual() ? null : hash.asText();
        } catch (IOException e) {
            return null;
        }
    }
}
