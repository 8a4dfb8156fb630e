package dev.lectern.pipeline.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lectern.pipeline.model.ModelIdentity;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Writes the results file: walks the sorted input listing and the merged, sorted record groups side by side and
 * writes each input file's records, so the file is in {@link PathOrder} whatever order the workers finished in,
 * and holds every input file exactly once. A listed file without records (which a finished pipeline should never
 * leave) gets an {@code internal} error record rather than vanishing. Streams: memory holds one group per source.
 */
public final class ResultAssembler {

    /**
     * @param files   input files listed
     * @param records records written (input files plus embedded documents)
     * @param ok      records with status ok
     * @param error   records with status error
     * @param skipped records kept from an earlier run without processing the file again (counted in ok too)
     */
    @JsonPropertyOrder({"files", "records", "ok", "error", "skipped"})
    public record Counts(long files, long records, long ok, long error, long skipped) {
    }

    private final String taskType;
    private final ModelIdentity model;

    public ResultAssembler(String taskType, ModelIdentity model) {
        this.taskType = taskType;
        this.model = model;
    }

    /** @param inputPaths the listed input files' relative paths, in {@link PathOrder} */
    public Counts write(Path output, Iterator<String> inputPaths, GroupMerge groups) throws IOException {
        long[] c = new long[5];
        AtomicFile.write(output, writer -> {
            GroupMerge.Picked picked = groups.nextPicked();
            while (inputPaths.hasNext()) {
                String path = inputPaths.next();
                while (picked != null && PathOrder.compare(picked.group().file(), path) < 0) {
                    picked = groups.nextPicked();     // a file no longer in the input
                }
                c[0]++;
                if (picked != null && picked.group().file().equals(path)) {
                    for (JsonNode record : picked.group().records()) {
                        writeRecord(writer, record, picked.reused(), c);
                    }
                    picked = groups.nextPicked();
                } else {
                    writeRecord(writer, Json.tree(lost(path)), false, c);
                }
            }
        });
        return new Counts(c[0], c[1], c[2], c[3], c[4]);
    }

    private static void writeRecord(Writer writer, JsonNode record, boolean reused, long[] c) throws IOException {
        writer.write(Json.write(record));
        writer.write('\n');
        c[1]++;
        if (DocumentRecord.OK.equals(record.path("status").asText())) {
            c[2]++;
        } else {
            c[3]++;
        }
        if (reused) {
            c[4]++;
        }
    }

    private DocumentRecord lost(String path) {
        return new DocumentRecord(path, null, null, null, null, null, DocumentRecord.ERROR,
                new RecordError("internal", "lost", "the pipeline finished without a record for this file"),
                taskType, null, model);
    }
}
