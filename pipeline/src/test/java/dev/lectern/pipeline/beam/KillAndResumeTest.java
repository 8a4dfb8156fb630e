package dev.lectern.pipeline.beam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lectern.pipeline.config.JobConfigLoader;
import dev.lectern.pipeline.output.Json;
import dev.lectern.pipeline.output.RecordGroup;
import dev.lectern.pipeline.testing.FakeExtractor;
import dev.lectern.pipeline.testing.Fixtures;
import dev.lectern.pipeline.testing.JobProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run killed with SIGKILL (kill -9) in the middle, then run again: every document exactly once. */
class KillAndResumeTest {

    @TempDir
    Path dir;

    @Test
    void killedRunThenRerunGivesEveryDocumentExactlyOnce() throws Exception {
        Path docs = dir.resolve("docs");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String name = String.format("doc-%03d.txt", i);
            Fixtures.write(docs.resolve(name), "Document " + i + ".\n");
            names.add(name);
        }
        Path out = dir.resolve("out/results.jsonl");
        Path job = Fixtures.extractJob(dir, docs, out, "workers: 2");
        Path work = dir.resolve("out/.results.jsonl.work");

        Process child = JobProcess.start(job, 100, dir.resolve("child.log"));
        long journaled = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (journaled < 10 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            journaled = journalLines(work).size();
        }
        assertTrue(child.isAlive(), "the child finished before it could be killed: " + Files.readString(dir.resolve("child.log")));
        child.destroyForcibly();          // SIGKILL: no shutdown hooks, no finally blocks
        child.waitFor();
        assertFalse(Files.exists(out), "a killed first run leaves no results file");

        Set<String> finishedBeforeKill = new HashSet<>();
        for (String line : journalLines(work)) {
            RecordGroup g = RecordGroup.fromLine(line);
            if (g != null) {
                finishedBeforeKill.add(g.file());
            }
        }
        assertTrue(finishedBeforeKill.size() >= 10 && finishedBeforeKill.size() < 120, "" + finishedBeforeKill.size());

        FakeExtractor.CALLS.clear();
        JobRunner.Outcome outcome = new JobRunner(FakeExtractor.factory(), null, false, Duration.ofSeconds(60))
                .run(new JobConfigLoader().load(job));
        List<String> paths;
        try (Stream<String> lines = Files.lines(out)) {
            paths = lines.map(Json::readLine).map((JsonNode r) -> r.get("path").asText()).toList();
        }
        assertEquals(names, paths, "every document exactly once, in order");
        assertEquals(finishedBeforeKill.size(), outcome.counts().skipped(), "what was journaled is kept");
        for (String kept : finishedBeforeKill) {
            assertFalse(FakeExtractor.CALLS.containsKey(kept), kept + " was processed again");
        }
        assertEquals(120 - finishedBeforeKill.size(), FakeExtractor.CALLS.size());
    }

    private static List<String> journalLines(Path work) throws IOException {
        if (!Files.isDirectory(work)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(work)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("journal-")).toList()) {
                lines.addAll(Files.readAllLines(p));
            }
        }
        return lines;
    }
}
