package dev.lectern.pipeline.beam;

import dev.lectern.pipeline.config.InputConfig;
import dev.lectern.pipeline.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InputScannerTest {

    @TempDir
    Path dir;

    private List<String> scan(InputConfig config, Set<Path> ignored) throws IOException {
        return new InputScanner(dir, config, ignored).scan().stream().map(InputFile::relativePath).toList();
    }

    @Test
    void globsRecursionAndIgnoredOutputs() throws IOException {
        for (String f : List.of("a.txt", "b.pdf", "sub/c.txt", "sub/deep/d.txt", "sub/e.md", "out/r.jsonl")) {
            Fixtures.write(dir.resolve(f), "x");
        }
        Fixtures.write(dir.resolve("out/.r.jsonl.tmp-123"), "partial");
        Set<Path> ignored = Set.of(dir.resolve("out/r.jsonl"));
        assertEquals(List.of("a.txt", "b.pdf", "sub/c.txt", "sub/deep/d.txt", "sub/e.md"),
                scan(new InputConfig(".", null, null, null, null), ignored));
        assertEquals(List.of("a.txt", "sub/c.txt", "sub/deep/d.txt"),
                scan(new InputConfig(".", List.of("**/*.txt"), null, null, null), ignored), "**/ also at the top");
        assertEquals(List.of("a.txt", "sub/c.txt"),
                scan(new InputConfig(".", List.of("**/*.txt"), List.of("sub/deep/**"), null, null), ignored));
        assertEquals(List.of("a.txt", "b.pdf"), scan(new InputConfig(".", null, null, false, null), ignored));
    }

    @Test
    void linksToFilesAreReadLinksToFoldersAndBrokenLinksAreProblems() throws IOException {
        Fixtures.write(dir.resolve("real/a.txt"), "x");
        java.nio.file.Files.createSymbolicLink(dir.resolve("file-link.txt"), dir.resolve("real/a.txt"));
        java.nio.file.Files.createSymbolicLink(dir.resolve("loop"), dir);
        java.nio.file.Files.createSymbolicLink(dir.resolve("broken.txt"), dir.resolve("nowhere"));
        var files = new InputScanner(dir, new InputConfig(".", null, null, null, null), Set.of()).scan();
        assertEquals(List.of("broken.txt", "file-link.txt", "loop", "real/a.txt"),
                files.stream().map(InputFile::relativePath).toList());
        assertEquals("a broken link", files.get(0).problem());
        assertEquals(null, files.get(1).problem());
        assertEquals("a link to a folder; links to folders are not followed", files.get(2).problem());
    }
}
