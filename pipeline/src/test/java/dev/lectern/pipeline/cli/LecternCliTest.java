package dev.lectern.pipeline.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LecternCliTest {

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = LecternCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void everyVerbHasHelp() {
        for (String verb : new String[]{"run", "validate", "generate"}) {
            Result r = run(verb, "--help");
            assertEquals(0, r.code(), verb);
            assertTrue(r.out().startsWith("Usage: lectern " + verb), r.out());
        }
        Result top = run("--help");
        assertTrue(top.out().contains("run") && top.out().contains("validate") && top.out().contains("generate"));
    }

    @Test
    void aBadJobIsOneLineAndExitCodeTwo() throws IOException {
        Path job = dir.resolve("typo.yaml");
        Files.writeString(job, "input:\n  foldr: .\ntask:\n  type: extract\noutput:\n  path: o.jsonl\n");
        Result r = run("run", job.toString());
        assertEquals(LecternCli.EXIT_CONFIG, r.code());
        assertEquals("lectern: " + job + ", line 2: unknown field 'foldr' in input; did you mean 'folder'? "
                + "(input.folder is missing)", r.err().strip());
    }

    @Test
    void validateReportsAGoodJob() throws IOException {
        Path job = dir.resolve("ok.yaml");
        Files.writeString(job, "input:\n  folder: .\ntask:\n  type: extract\noutput:\n  path: o.jsonl\n");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, run("validate", job.toString()).code());
        } finally {
            System.setOut(original);
        }
        assertTrue(captured.toString(java.nio.charset.StandardCharsets.UTF_8).startsWith(job + ": ok (task extract"));
    }

    @Test
    void unknownOptionsAndBadRunnerAreUsageErrors() {
        Result r = run("run", "job.yaml", "--runner", "spark");
        assertEquals(LecternCli.EXIT_CONFIG, r.code());
        assertTrue(r.err().startsWith("lectern: Invalid value for option '--runner'"), r.err());
    }
}
