package dev.lectern.pipeline.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.lectern.pipeline.beam.Extractors;
import dev.lectern.pipeline.beam.JobRunner;
import dev.lectern.pipeline.config.ChunkOptions;
import dev.lectern.pipeline.config.ConfigException;
import dev.lectern.pipeline.embedding.HashingEmbedder;
import dev.lectern.pipeline.config.JobConfigLoader;
import dev.lectern.pipeline.output.Json;
import dev.lectern.pipeline.testing.Fixtures;

/** The classify task through a job: few-shot from an examples folder, and option errors that stop the job. */
class ClassifyTaskTest {

    @TempDir
    Path dir;

    private Path job(String task) throws IOException {
        Path docs = dir.resolve("docs");
        Fixtures.write(docs.resolve("match.txt"), "The striker scored twice and the team won the league title.\n");
        Fixtures.write(docs.resolve("bake.txt"), "Knead the dough, let it rise, then bake the loaf for forty minutes.\n");
        Fixtures.write(docs.resolve("blank.txt"), " \n\n \n");
        Path job = dir.resolve("job.yaml");
        Fixtures.write(job, """
                input:
                  folder: docs
                task:
                  type: classify
                %s
                output:
                  path: out/results.jsonl
                """.formatted(task.indent(2)));
        return job;
    }

    private JobRunner runner() {
        return new JobRunner(Extractors.tika(), null, false, Duration.ofSeconds(30));
    }

    @Test
    void fewShotFromAnExamplesFolderLabelsEveryDocument() throws IOException {
        Fixtures.write(dir.resolve("examples/sports/1.txt"), "A late goal won the cup final.");
        Fixtures.write(dir.resolve("examples/sports/2.md"), "The runner broke the course record.");
        Fixtures.write(dir.resolve("examples/cooking/1.txt"), "Whisk the eggs with sugar and fold in the flour.");
        Path job = job("""
                examplesFolder: examples
                method: knn
                k: 2
                multiLabel: true
                threshold: 0.3
                labels:
                  - name: sports
                  - name: cooking
                """);
        runner().run(new JobConfigLoader().load(job));
        Map<String, JsonNode> records;
        try (var lines = java.nio.file.Files.lines(dir.resolve("out/results.jsonl"))) {
            records = lines.map(Json::readLine).collect(Collectors.toMap(r -> r.get("path").asText(), r -> r));
        }
        assertEquals("sports", records.get("match.txt").at("/result/label").asText());
        assertEquals("cooking", records.get("bake.txt").at("/result/label").asText());
        assertEquals("knn", records.get("bake.txt").at("/result/method").asText());
        assertEquals("cooking", records.get("bake.txt").at("/result/labels/0").asText());
        JsonNode blank = records.get("blank.txt");
        assertEquals("ok", blank.get("status").asText(), blank.toString());
        assertTrue(blank.at("/result/abstain").asBoolean(), blank.toString());
        assertTrue(blank.at("/result/label").isNull());
        assertEquals(0, blank.at("/result/chunks").asInt());
    }

    @Test
    void chunkSizeInTokensNarrowsTheWindowsButNeverBeyondTheModel() {
        HashingEmbedder model = new HashingEmbedder(126);
        assertEquals(60, ClassifyTask.Factory.windowTokens(new ChunkOptions(60, 0, ChunkOptions.Unit.TOKENS), model));
        assertEquals(126, ClassifyTask.Factory.windowTokens(new ChunkOptions(512, 0, ChunkOptions.Unit.TOKENS), model));
        assertEquals(126, ClassifyTask.Factory.windowTokens(ChunkOptions.defaults(), model));
    }

    @Test
    void aFewShotLabelWithoutExamplesStopsTheJobNamingFileAndField() throws IOException {
        Path job = job("""
                method: centroid
                labels:
                  - name: sports
                    examples: ["A late goal won the cup final."]
                  - name: cooking
                """);
        ConfigException e = assertThrows(ConfigException.class,
                () -> runner().prepare(new JobConfigLoader().load(job)));
        assertTrue(e.getMessage().startsWith(job.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("task: method centroid needs examples for every label; no examples for cooking"),
                e.getMessage());
    }

    @Test
    void anExampleFileThatIsNotUtf8StopsTheJob() throws IOException {
        Fixtures.write(dir.resolve("examples/sports/1.txt"), "A late goal.");
        java.nio.file.Files.createDirectories(dir.resolve("examples/cooking"));
        java.nio.file.Files.write(dir.resolve("examples/cooking/bad.txt"), new byte[]{'p', 'i', 'e', (byte) 0xFF});
        Path job = job("""
                examplesFolder: examples
                labels:
                  - name: sports
                  - name: cooking
                """);
        ConfigException e = assertThrows(ConfigException.class,
                () -> runner().prepare(new JobConfigLoader().load(job)));
        assertTrue(e.getMessage().contains("bad.txt is not UTF-8 text"), e.getMessage());
    }
}
