package dev.lectern.pipeline.beam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lectern.pipeline.config.JobConfigLoader;
import dev.lectern.pipeline.config.JobFile;
import dev.lectern.pipeline.config.RunnerKind;
import dev.lectern.pipeline.output.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped {@code jobs/extract-samples.yaml} on {@code samples/} with Tika, as a user runs it (only the output
 * moved): one record per input, the corrupt and the empty file as extraction errors, identical bytes for 1 and 4
 * workers and for the DirectRunner and an embedded local Flink cluster. One direct run is shared by the tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExtractSamplesJobTest {

    private static final List<String> EXPECTED = List.of(
            "bail-habitation.txt", "board-meeting.eml", "board-meeting.eml!/q3-summary.txt", "coral-reefs.txt",
            "corrupt.pdf", "empty.txt", "energiewende.txt", "invoice-2024-0117.pdf", "legal-pack.zip",
            "legal-pack.zip!/mutual-nda.txt", "legal-pack.zip!/cookie-policy.html", "marathon-report.html",
            "sourdough-basics.docx");

    private Path dir;
    private Path job;
    private byte[] direct2;

    private static Path repository() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("jobs/extract-samples.yaml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no jobs/ folder above " + Path.of("").toAbsolutePath());
    }

    @BeforeAll
    void runOnDirectRunner(@TempDir Path tempDir) throws IOException {
        dir = tempDir;
        job = repository().resolve("jobs/extract-samples.yaml");
        direct2 = run(RunnerKind.DIRECT, 2, "direct-2.jsonl");
    }

    private byte[] run(RunnerKind runner, int workers, String name) throws IOException {
        JobFile file = new JobConfigLoader().load(job);
        file = file.with(file.config().withOutputPath(dir.resolve(name)).withRunner(runner).withWorkers(workers));
        new JobRunner(Extractors.tika(), null, false, Duration.ofSeconds(60)).run(file);
        return Files.readAllBytes(dir.resolve(name));
    }

    @Test
    void everySampleGivesOneRecordAndTheBrokenOnesAreExtractionErrors() throws IOException {
        List<JsonNode> records;
        try (Stream<String> lines = Files.lines(dir.resolve("direct-2.jsonl"))) {
            records = lines.map(Json::readLine).toList();
        }
        assertEquals(EXPECTED, records.stream().map(r -> r.get("path").asText()).toList());
        Map<String, JsonNode> byPath = records.stream()
                .collect(Collectors.toMap(r -> r.get("path").asText(), Function.identity()));
        for (String broken : List.of("corrupt.pdf", "empty.txt")) {
            JsonNode r = byPath.get(broken);
            assertEquals("error", r.get("status").asText(), r.toString());
            assertEquals("extract", r.at("/error/stage").asText(), r.toString());
        }
        assertEquals("corrupt", byPath.get("corrupt.pdf").at("/error/type").asText());
        assertEquals("empty", byPath.get("empty.txt").at("/error/type").asText());
        assertEquals(11, records.stream().filter(r -> r.get("status").asText().equals("ok")).count());
        JsonNode invoice = byPath.get("invoice-2024-0117.pdf");
        assertEquals(2, invoice.at("/metadata/pageCount").asInt());
        assertTrue(invoice.at("/result/words").asInt() > 100, invoice.toString());
        assertEquals("fr", byPath.get("bail-habitation.txt").at("/metadata/language").asText());
    }

    @Test
    void oneAndFourWorkersGiveTheSameBytes() throws IOException {
        assertArrayEquals(direct2, run(RunnerKind.DIRECT, 1, "direct-1.jsonl"));
        assertArrayEquals(direct2, run(RunnerKind.DIRECT, 4, "direct-4.jsonl"));
    }

    @Test
    void flinkRunnerGivesTheSameRecordsAsTheDirectRunner() throws IOException {
        assertArrayEquals(direct2, run(RunnerKind.FLINK, 2, "flink-2.jsonl"));
    }
}
