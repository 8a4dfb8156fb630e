package dev.lectern.pipeline.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One test per class of job-file mistake: each gives one line naming the file, the line, the field, the fix. */
class JobConfigErrorsTest {

    @TempDir
    Path dir;

    private String error(String yaml) throws IOException {
        Files.createDirectories(dir.resolve("docs"));
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, yaml);
        ConfigException e = assertThrows(ConfigException.class,
                () -> JobValidator.validate(new JobConfigLoader().load(job)));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(job.toString()), "names the file: " + e.getMessage());
        return e.getMessage().substring(job.toString().length());
    }

    private static final String TAIL = "task:\n  type: extract\noutput:\n  path: out.jsonl\n";

    @Test
    void aValidJobPasses() throws IOException {
        Files.createDirectories(dir.resolve("docs"));
        Path job = dir.resolve("ok.yaml");
        Files.writeString(job, "input:\n  folder: docs\n" + TAIL);
        JobFile file = new JobConfigLoader().load(job);
        JobValidator.validate(file);
        assertEquals(dir.resolve("docs"), file.inputFolder(), "relative to the job file's folder");
        assertEquals(RunnerKind.DIRECT, file.config().runner());
        assertEquals(OutputMode.RESUME, file.config().output().mode());
    }

    @Test
    void unknownFieldIsNamedWithASuggestion() throws IOException {
        assertEquals(", line 3: unknown field 'inclde' in input; did you mean 'include'? "
                        + "(known fields: exclude, folder, include, maxFileSize, recursive)",
                error("input:\n  folder: docs\n  inclde: ['*.pdf']\n" + TAIL));
    }

    @Test
    void unknownTopLevelSection() throws IOException {
        assertTrue(error("input:\n  folder: docs\n" + TAIL + "wrokers: 2\n")
                .startsWith(", line 7: unknown field 'wrokers'; did you mean 'workers'?"));
    }

    @Test
    void wrongTypeSaysWhatWasExpected() throws IOException {
        assertEquals(", line 3, column 14: input.recursive: expected true or false, got 'sometimes'",
                error("input:\n  folder: docs\n  recursive: sometimes\n" + TAIL));
        assertEquals(", line 3, column 16: input.maxFileSize: expected a size such as 50MB, 512KiB or a number of "
                + "bytes, got '12 parsecs'", error("input:\n  folder: docs\n  maxFileSize: 12 parsecs\n" + TAIL));
        assertTrue(error("input:\n  folder: docs\n" + TAIL + "workers: 2.5\n")
                .startsWith(", line 7, column 10: workers: expected a whole number, got '2.5'"));
        assertTrue(error("input:\n  folder: docs\n  include: '*.pdf'\n" + TAIL)
                .contains("input.include: expected a list"));
    }

    @Test
    void wrongChoiceListsTheChoices() throws IOException {
        assertEquals(", line 7, column 9: runner: expected one of direct, flink, got 'spark'",
                error("input:\n  folder: docs\n" + TAIL + "runner: spark\n"));
    }

    @Test
    void missingRequiredFieldIsNamed() throws IOException {
        assertEquals(", line 1: input.folder is missing", error("input:\n  recursive: true\n" + TAIL));
        assertEquals(": output is missing (a job needs input, task and output)",
                error("input:\n  folder: docs\ntask:\n  type: extract\n"));
    }

    @Test
    void unknownOrMissingTaskType() throws IOException {
        assertEquals(", line 4, column 9: task.type: unknown task 'sumarize'; did you mean 'summarize'? "
                        + "(expected one of extract, summarize, classify)",
                error("input:\n  folder: docs\ntask:\n  type: sumarize\noutput:\n  path: o.jsonl\n"));
        assertEquals(", line 3: task.type is missing; expected one of extract, summarize, classify",
                error("input:\n  folder: docs\ntask:\n  includeText: true\noutput:\n  path: o.jsonl\n"));
    }

    @Test
    void invalidYamlSyntax() throws IOException {
        String message = error("input:\n  folder: docs\n   bad indentation: [\n" + TAIL);
        assertTrue(message.matches(", line \\d+, column \\d+: not valid YAML: .+"), message);
    }

    @Test
    void emptyOrMissingJobFile() throws IOException {
        assertEquals(": the job file is empty; it needs at least input, task and output", error(""));
        ConfigException e = assertThrows(ConfigException.class,
                () -> new JobConfigLoader().load(dir.resolve("nope.yaml")));
        assertEquals(dir.resolve("nope.yaml") + ": no such job file", e.getMessage());
    }

    @Test
    void missingInputFolder() throws IOException {
        assertEquals(", line 2: input.folder: folder " + dir.resolve("archive") + " does not exist",
                error("input:\n  folder: archive\n" + TAIL));
    }

    @Test
    void valueOutOfRange() throws IOException {
        assertEquals(", line 6: task.chunk.overlap: expected 0 or more and less than chunk.size (100), got 100",
                error("input:\n  folder: docs\ntask:\n  type: summarize\n  chunk:\n    overlap: 100\n    size: 100\n"
                        + "output:\n  path: o.jsonl\n"));
        assertEquals(", line 4: extraction.timeout: expected a value above 0, got 0",
                error("input:\n  folder: docs\nextraction:\n  timeout: 0s\n" + TAIL));
    }

    @Test
    void classificationNeedsTwoDistinctLabels() throws IOException {
        String head = "input:\n  folder: docs\noutput:\n  path: o.jsonl\ntask:\n  type: classify\n  labels:\n";
        assertEquals(", line 7: task.labels: expected at least two labels, got 1", error(head + "    - name: a\n"));
        assertEquals(", line 9: task.labels[1].name: label 'a' is listed twice",
                error(head + "    - name: a\n    - name: a\n"));
    }

    @Test
    void missingModelFile() throws IOException {
        assertEquals(", line 6: model.path: model file " + dir.resolve("models/x.gguf") + " does not exist",
                error("input:\n  folder: docs\ntask:\n  type: extract\nmodel:\n  path: models/x.gguf\n"
                        + "output:\n  path: o.jsonl\n"));
    }
}
