package dev.lectern.pipeline.beam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lectern.pipeline.config.ExtractOptions;
import dev.lectern.pipeline.config.ExtractionConfig;
import dev.lectern.pipeline.model.ModelSpec;
import dev.lectern.pipeline.output.RecordGroup;
import dev.lectern.pipeline.task.DocumentTask;
import dev.lectern.pipeline.task.ExtractTask;
import dev.lectern.pipeline.task.TaskContext;
import dev.lectern.pipeline.task.TaskFailure;
import dev.lectern.pipeline.testing.FakeExtractor;
import dev.lectern.pipeline.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What one file becomes when something goes wrong around it: always records, never an exception. */
class FileProcessorTest {

    @TempDir
    Path dir;

    private RecordGroup process(DocumentTask task, InputFile file) {
        RunSpec spec = new RunSpec("t", dir.toString(), "1", ExtractionConfig.defaults(), 1000,
                new TaskContext(new ExtractOptions("extract", false), ModelSpec.builtIn(), dir.toString(), 42, 1),
                "hash", null, FakeExtractor.factory());
        return new FileProcessor(spec, new FakeExtractor(spec.extraction().toLimits()), task).process(file);
    }

    private InputFile listed(String name) throws IOException {
        Path p = dir.resolve(name);
        return new InputFile(name, p.toString(), Files.exists(p) ? Files.size(p) : 0, null, null);
    }

    private static JsonNode only(RecordGroup g) {
        assertEquals(1, g.records().size());
        return g.records().getFirst();
    }

    @Test
    void aFileThatDisappearsAfterListingIsAnInputError() throws IOException {
        Fixtures.write(dir.resolve("gone.txt"), "soon gone");
        InputFile file = listed("gone.txt");
        Files.delete(dir.resolve("gone.txt"));
        JsonNode r = only(process(new ExtractTask(false), file));
        assertEquals("error", r.get("status").asText());
        assertEquals("input", r.at("/error/stage").asText());
        assertEquals("missing", r.at("/error/type").asText());
    }

    @Test
    void anUnreadableFolderFromTheListingIsAnInputError() {
        JsonNode r = only(process(new ExtractTask(false),
                new InputFile("locked", dir.resolve("locked").toString(), 0, "cannot be read: permission denied", null)));
        assertEquals("unreadable", r.at("/error/type").asText());
        assertEquals("cannot be read: permission denied", r.at("/error/message").asText());
    }

    @Test
    void tooLargeFilesAreNotRead() throws IOException {
        Fixtures.write(dir.resolve("big.txt"), "x".repeat(2000));
        JsonNode r = only(process(new ExtractTask(false), listed("big.txt")));
        assertEquals("too-large", r.at("/error/type").asText());
        assertEquals(2000, r.get("size").asInt());
        assertEquals(0, FakeExtractor.CALLS.getOrDefault("big.txt", new java.util.concurrent.atomic.AtomicInteger()).get());
    }

    @Test
    void taskFailuresBecomeErrorRecordsWithTheirStage() throws IOException {
        Fixtures.write(dir.resolve("a.txt"), "text");
        JsonNode failed = only(process(in -> {
            throw new TaskFailure("infer", "context", "the prompt does not fit");
        }, listed("a.txt")));
        assertEquals("infer", failed.at("/error/stage").asText());
        assertEquals("context", failed.at("/error/type").asText());
        assertEquals("text/plain", failed.get("contentType").asText(), "extraction's findings are kept");

        JsonNode crashed = only(process(in -> {
            throw new IllegalStateException("boom");
        }, listed("a.txt")));
        assertEquals("extract", crashed.get("task").asText());
        assertEquals("extract", crashed.at("/error/stage").asText(), "the task's name is the stage");
        assertEquals("IllegalStateException: boom", crashed.at("/error/message").asText());
        assertNull(crashed.get("result").textValue());
    }

    @Test
    void anUnchangedFileWithKeptRecordsIsSkipped() throws IOException {
        Fixtures.write(dir.resolve("a.txt"), "text");
        RecordGroup first = process(new ExtractTask(false), listed("a.txt"));
        assertNull(process(new ExtractTask(false), listed("a.txt").withReusableSha256(first.sha256())));
    }
}
