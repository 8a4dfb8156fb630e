package dev.lectern.pipeline.beam;

import dev.lectern.pipeline.config.JobConfigLoader;
import dev.lectern.pipeline.config.JobFile;
import dev.lectern.pipeline.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class TaskConfigHashTest {

    @TempDir
    Path dir;

    private JobFile job(String extra) throws IOException {
        Fixtures.write(dir.resolve("docs/a.txt"), "a");
        return new JobConfigLoader().parse("""
                input:
                  folder: docs
                task:
                  type: classify
                  examplesFolder: examples
                  labels: [{name: x}, {name: y}]
                output:
                  path: out.jsonl
                """ + extra, dir.resolve("job.yaml"));
    }

    private String hash(JobFile job) {
        return JobRunner.taskConfigHash(job.config(), null, JobRunner.examplesSha256(job));
    }

    @Test
    void recordShapingSettingsChangeTheHashRunSettingsDoNot() throws IOException {
        Fixtures.write(dir.resolve("examples/x/1.txt"), "an x");
        Fixtures.write(dir.resolve("examples/y/1.txt"), "a y");
        String base = hash(job(""));
        assertEquals(base, hash(job("workers: 7\nrunner: flink\n")));
        assertNotEquals(base, hash(job("seed: 1\n")));
        assertNotEquals(base, hash(job("model:\n  chatFormat: chatml\n")));
        assertNotEquals(base, hash(job("extraction:\n  maxCharacters: 5\n")));
        Fixtures.write(dir.resolve("examples/y/1.txt"), "a changed y");
        assertNotEquals(base, hash(job("")), "an edited example invalidates kept records");
    }
}
