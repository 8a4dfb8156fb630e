package dev.lectern.pipeline.beam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lectern.pipeline.model.FileDigests;
import dev.lectern.pipeline.config.JobConfigLoader;
import dev.lectern.pipeline.config.JobFile;
import dev.lectern.pipeline.output.Json;
import dev.lectern.pipeline.output.RunManifest;
import dev.lectern.pipeline.testing.FakeExtractor;
import dev.lectern.pipeline.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline end to end on the DirectRunner, with a stand-in extractor (the Tika one is tested on samples/). */
class DirectRunnerPipelineTest {

    private static final List<String> EXPECTED_PATHS = List.of(
            "alpha.txt", "archive.zip", "archive.zip!/one.txt", "archive.zip!/two.txt",
            "beta gamma, ünïcødé.txt", "corrupt.pdf", "empty.txt", "nested/deeper/delta.txt",
            "nested/epsilon.md", "zeta.txt", "日本語.txt");

    @TempDir
    Path dir;
    Path docs;

    @BeforeEach
    void setUp() throws IOException {
        docs = Fixtures.documents(dir);
        FakeExtractor.CALLS.clear();
        FakeExtractor.crashArmed = false;
    }

    private JobRunner.Outcome run(Path out, String extra) throws IOException {
        JobFile job = new JobConfigLoader().load(Fixtures.extractJob(dir, docs, out, extra));
        return new JobRunner(FakeExtractor.factory(), null, false, Duration.ofSeconds(5)).run(job);
    }

    private static List<JsonNode> records(Path out) throws IOException {
        try (Stream<String> lines = Files.lines(out)) {
            return lines.map(Json::readLine).toList();
        }
    }

    @Test
    void everyInputGivesExactlyOneRecordInPathOrder() throws IOException {
        Path out = dir.resolve("out/results.jsonl");
        JobRunner.Outcome outcome = run(out, "workers: 2");

        List<JsonNode> records = records(out);
        assertEquals(EXPECTED_PATHS, records.stream().map(r -> r.get("path").asText()).toList());
        Map<String, JsonNode> byPath = records.stream().collect(Collectors.toMap(r -> r.get("path").asText(),
                Function.identity()));

        JsonNode empty = byPath.get("empty.txt");
        assertEquals("error", empty.get("status").asText());
        assertEquals("extract", empty.at("/error/stage").asText());
        assertEquals("empty", empty.at("/error/type").asText());
        JsonNode corrupt = byPath.get("corrupt.pdf");
        assertEquals("extract", corrupt.at("/error/stage").asText());
        assertEquals("corrupt", corrupt.at("/error/type").asText());

        JsonNode alpha = byPath.get("alpha.txt");
        assertEquals("ok", alpha.get("status").asText());
        assertEquals(Files.size(docs.resolve("alpha.txt")), alpha.get("size").asLong());
        assertEquals(64, alpha.get("sha256").asText().length());
        assertEquals("extract", alpha.get("task").asText());
        assertEquals(9, alpha.at("/result/words").asLong());
        assertEquals(2, alpha.at("/result/lines").asLong());
        assertTrue(alpha.at("/result/text").isNull(), "text only when includeText is set");
        assertTrue(alpha.get("model").isNull());

        JsonNode member = byPath.get("archive.zip!/two.txt");
        assertEquals("archive.zip", member.get("parent").asText());
        assertEquals(FileDigests.sha256("Second member."), member.get("sha256").asText(), "a member's own bytes");
        assertEquals("Second member.".length(), member.get("size").asLong());

        assertEquals(new dev.lectern.pipeline.output.ResultAssembler.Counts(9, 11, 9, 2, 0), outcome.counts());
        JsonNode manifest = Json.MAPPER.readTree(RunManifest.pathFor(out).toFile());
        assertEquals(9, manifest.at("/counts/ok").asInt());
        assertEquals("2.70.0", manifest.at("/versions/beam").asText());
        assertEquals("3.3.1", manifest.at("/versions/tika").asText());
        assertFalse(Files.exists(dir.resolve("out/.results.jsonl.work")), "the work folder is removed");
    }

    @Test
    void twoRunsAndOneOrFourWorkersGiveIdenticalBytes() throws IOException {
        Path one = dir.resolve("a/results.jsonl");
        Path again = dir.resolve("b/results.jsonl");
        Path four = dir.resolve("c/results.jsonl");
        run(one, "workers: 1");
        run(again, "workers: 1");
        run(four, "workers: 4");
        byte[] expected = Files.readAllBytes(one);
        assertArrayEquals(expected, Files.readAllBytes(again));
        assertArrayEquals(expected, Files.readAllBytes(four));
        assertEquals(EXPECTED_PATHS.size(), records(one).size());
    }

    @Test
    void rerunKeepsUnchangedRecordsAndRedoesChangedAndFailedFiles() throws IOException {
        Path out = dir.resolve("out/results.jsonl");
        run(out, "workers: 2");
        byte[] first = Files.readAllBytes(out);
        FakeExtractor.CALLS.clear();

        JobRunner.Outcome second = run(out, "workers: 2");
        assertArrayEquals(first, Files.readAllBytes(out));
        // Only the two error files are processed again; the seven ok files (9 ok records) are kept.
        assertEquals(Map.of("empty.txt", 1, "corrupt.pdf", 1), calls());
        assertEquals(9, second.counts().skipped());

        Fixtures.write(docs.resolve("alpha.txt"), "Alpha changed.\n");
        FakeExtractor.CALLS.clear();
        run(out, "workers: 2");
        assertEquals(Map.of("alpha.txt", 1, "empty.txt", 1, "corrupt.pdf", 1), calls());
        assertEquals(2, records(out).stream().filter(r -> r.get("path").asText().equals("alpha.txt"))
                .findFirst().orElseThrow().at("/result/words").asInt());
    }

    @Test
    void changedTaskConfigurationProcessesEverythingAgain() throws IOException {
        Path out = dir.resolve("out/results.jsonl");
        run(out, "workers: 2");
        FakeExtractor.CALLS.clear();
        run(out, "workers: 2\nextraction:\n  maxCharacters: 10");
        assertEquals(9, calls().size());
        assertTrue(records(out).stream().anyMatch(r -> r.at("/result/truncated").asBoolean()));
    }

    @Test
    void interruptedRunThenRerunGivesEveryDocumentExactlyOnce() throws IOException {
        Path out = dir.resolve("out/results.jsonl");
        Fixtures.write(docs.resolve("m-crash.txt"), "%CRASH here");
        FakeExtractor.crashArmed = true;
        assertThrows(RuntimeException.class, () -> run(out, "workers: 1"));
        assertFalse(Files.exists(out), "an interrupted first run leaves no results file");
        Path work = dir.resolve("out/.results.jsonl.work");
        List<Path> journals;
        try (Stream<Path> files = Files.list(work)) {
            journals = files.filter(p -> p.getFileName().toString().startsWith("journal-")).toList();
        }
        assertEquals(1, journals.size());
        long journaledOk = Files.readAllLines(journals.getFirst()).stream()
                .map(dev.lectern.pipeline.output.RecordGroup::fromLine).filter(g -> g != null && g.allOk()).count();
        // A kill -9 in the middle of an append leaves a torn last line.
        Files.writeString(journals.getFirst(), "{\"file\":\"alpha.txt\",\"sha256\":\"ab", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        Map<String, Integer> firstCalls = calls();

        FakeExtractor.crashArmed = false;
        FakeExtractor.CALLS.clear();
        run(out, "workers: 2");

        List<String> paths = records(out).stream().map(r -> r.get("path").asText()).toList();
        List<String> expected = Stream.concat(EXPECTED_PATHS.stream(), Stream.of("m-crash.txt"))
                .sorted(dev.lectern.pipeline.output.PathOrder.COMPARATOR).toList();
        assertEquals(expected, paths, "every document exactly once");
        // Files finished (ok) before the crash were not extracted again.
        for (String path : firstCalls.keySet()) {
            if (!path.equals("m-crash.txt") && !path.equals("empty.txt") && !path.equals("corrupt.pdf")
                    && calls().containsKey(path)) {
                throw new AssertionError(path + " was journaled ok but processed again");
            }
        }
        assertEquals(10 - journaledOk, calls().size(), "only files without an ok journal entry are processed again");
        assertFalse(Files.exists(work));
    }

    @Test
    void oversizeFilesBecomeInputErrorsAndExcludedFilesAreNotListed() throws IOException {
        Path out = dir.resolve("out/results.jsonl");
        run(out, """
                extraction:
                  embeddedDocuments: false
                """ + "workers: 1");
        run(out, "workers: 1");
        Path job = Fixtures.extractJob(dir, docs, out, "");
        String yaml = Files.readString(job).replace("  folder:", "  maxFileSize: 100\n  exclude: ['**/*.md', 'empty.txt']\n  folder:");
        Files.writeString(job, yaml);
        new JobRunner(FakeExtractor.factory(), null, false, Duration.ofSeconds(5)).run(job);
        Map<String, JsonNode> byPath = records(out).stream().collect(Collectors.toMap(r -> r.get("path").asText(),
                Function.identity()));
        assertFalse(byPath.containsKey("nested/epsilon.md"));
        assertFalse(byPath.containsKey("empty.txt"));
        JsonNode zeta = byPath.get("zeta.txt");
        assertEquals("input", zeta.at("/error/stage").asText());
        assertEquals("too-large", zeta.at("/error/type").asText());
        assertNull(zeta.get("result").textValue());
    }

    @Test
    void outputInsideTheInputFolderIsNeverReadAsInput() throws IOException {
        Path out = docs.resolve("results/out.jsonl");
        run(out, "workers: 1");
        run(out, "workers: 1");
        assertEquals(EXPECTED_PATHS, records(out).stream().map(r -> r.get("path").asText()).toList());
    }

    @Test
    void aSecondRunOfTheSameJobIsRefusedWhileTheFirstHoldsTheResults() throws IOException {
        Path out = dir.resolve("out/results.jsonl");
        dev.lectern.pipeline.resume.WorkDir work = dev.lectern.pipeline.resume.WorkDir.forOutput(out);
        java.nio.channels.FileLock held = work.lock();
        dev.lectern.pipeline.config.ConfigException e = assertThrows(
                dev.lectern.pipeline.config.ConfigException.class, () -> run(out, "workers: 1"));
        assertTrue(e.getMessage().contains("another lectern run is writing the same results"), e.getMessage());
        held.release();
        held.channel().close();
        run(out, "workers: 1");
        assertEquals(EXPECTED_PATHS.size(), records(out).size());
    }

    private static Map<String, Integer> calls() {
        return FakeExtractor.CALLS.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().get()));
    }
}
