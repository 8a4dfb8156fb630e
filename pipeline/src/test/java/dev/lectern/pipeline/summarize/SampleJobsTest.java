package dev.lectern.pipeline.summarize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.lectern.pipeline.beam.Extractors;
import dev.lectern.pipeline.beam.JobRunner;
import dev.lectern.pipeline.config.JobConfigLoader;
import dev.lectern.pipeline.output.Json;

/**
 * The shipped jobs/summarize-samples.yaml and jobs/classify-samples.yaml, run as a user runs them (Tika, the
 * DirectRunner, the built-in model) on samples/, with only the output moved to a temporary folder.
 */
class SampleJobsTest {

    @TempDir
    Path dir;

    private static Path repository() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("jobs/summarize-samples.yaml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no jobs/ folder above " + Path.of("").toAbsolutePath());
    }

    /** Runs a shipped job with its output in the temporary folder; returns the records by path, in file order. */
    private Map<String, JsonNode> run(String jobName, String outName, int workers) throws IOException {
        Path root = repository();
        String yaml = Files.readString(root.resolve("jobs/" + jobName), StandardCharsets.UTF_8)
                .replace("folder: ../samples", "folder: " + root.resolve("samples"))
                .replace("examplesFolder: examples", "examplesFolder: " + root.resolve("jobs/examples"))
                .replaceAll("path: \\.\\./out/\\S+", "path: " + dir.resolve(outName))
                .replace("workers: 2", "workers: " + workers);
        Path job = dir.resolve(outName + ".yaml");
        Files.writeString(job, yaml, StandardCharsets.UTF_8);
        new JobRunner(Extractors.tika(), null, false, Duration.ofSeconds(60)).run(new JobConfigLoader().load(job));
        Map<String, JsonNode> records = new LinkedHashMap<>();
        try (Stream<String> lines = Files.lines(dir.resolve(outName))) {
            lines.map(Json::readLine).forEach(r -> records.put(r.get("path").asText(), r));
        }
        return records;
    }

    @Test
    void summarizeSamplesGivesShortSummariesInDocumentOrderWhateverTheWorkerCount() throws IOException {
        Map<String, JsonNode> records = run("summarize-samples.yaml", "summaries.jsonl", 2);
        assertEquals(13, records.size(), records.keySet().toString());
        int summarized = 0;
        for (JsonNode record : records.values()) {
            if (!record.get("status").asText().equals("ok")) {
                assertEquals("extract", record.at("/error/stage").asText(), record.toString());
                continue;
            }
            assertEquals("all-MiniLM-L6-v2", record.at("/model/id").asText());
            JsonNode result = record.get("result");
            assertEquals("extractive", result.get("method").asText());
            JsonNode sentences = result.get("sentences");
            assertTrue(sentences.size() <= 3, record.toString());
            assertTrue(result.get("tokens").asInt() <= 200, record.toString());
            for (int i = 1; i < sentences.size(); i++) {
                assertTrue(sentences.get(i - 1).get("index").asInt() < sentences.get(i).get("index").asInt());
            }
            if (result.get("sentenceCount").asInt() > 0) {
                assertFalse(result.get("summary").asText().isBlank(), record.toString());
                summarized++;
            }
        }
        assertEquals(10, summarized);
        assertTrue(records.get("marathon-report.html").at("/result/summary").asText().contains("Marathon"));

        byte[] twoWorkers = Files.readAllBytes(dir.resolve("summaries.jsonl"));
        run("summarize-samples.yaml", "summaries-1.jsonl", 1);
        assertTrue(java.util.Arrays.equals(twoWorkers, Files.readAllBytes(dir.resolve("summaries-1.jsonl"))),
                "1 and 2 workers gave different bytes");
    }

    private static final Map<String, String> TOPICS = Map.of(
                "invoice-2024-0117.pdf", "finance",
                "board-meeting.eml!/q3-summary.txt", "finance",
                "sourdough-basics.docx", "cooking",
                "marathon-report.html", "sports",
                "coral-reefs.txt", "science",
                "bail-habitation.txt", "law",
                "legal-pack.zip!/mutual-nda.txt", "law");

    @Test
    void classifySamplesGivesEachSampleItsTopic() throws IOException {
        Map<String, JsonNode> records = run("classify-samples.yaml", "labels.jsonl", 2);
        assertEquals(13, records.size());
        TOPICS.forEach((path, label) ->
                assertEquals(label, records.get(path).at("/result/label").asText(), records.get(path).toString()));
        JsonNode marathon = records.get("marathon-report.html").get("result");
        double sum = 0;
        for (String label : List.of("finance", "law", "science", "sports", "cooking")) {
            sum += marathon.at("/probabilities/" + label).asDouble();
        }
        assertEquals(1.0, sum, 1e-3);
        assertEquals(0.05, marathon.get("temperature").asDouble());
        assertEquals("zero-shot", marathon.get("method").asText());
        JsonNode archive = records.get("legal-pack.zip").get("result");
        assertTrue(archive.get("abstain").asBoolean(), "an archive's own (empty) text abstains");
        assertTrue(archive.get("label").isNull());
    }

    @Test
    void fewShotSamplesJobAgreesWithTheTopics() throws IOException {
        Map<String, JsonNode> records = run("classify-fewshot-samples.yaml", "fewshot.jsonl", 2);
        assertEquals(13, records.size());
        TOPICS.forEach((path, label) ->
                assertEquals(label, records.get(path).at("/result/label").asText(), records.get(path).toString()));
        assertEquals("centroid", records.get("marathon-report.html").at("/result/method").asText());
    }
}
