package dev.lectern.pipeline.output;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupSortAndMergeTest {

    @TempDir
    Path dir;

    private static RecordGroup group(String file, String status, String marker) {
        JsonNode record = Json.tree(java.util.Map.of("path", file, "status", status, "marker", marker));
        return new RecordGroup(file, "sha-" + file, "h", List.of(record));
    }

    @Test
    void smallRunsMergeIntoOneSortedStreamAndLaterEntriesWin() throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            names.add("doc-" + i + ".txt");
        }
        Collections.shuffle(names, new Random(7));
        Path journal = dir.resolve("journal.jsonl");
        List<String> lines = new ArrayList<>();
        names.forEach(n -> lines.add(group(n, "error", "old").toLine()));
        names.subList(0, 50).forEach(n -> lines.add(group(n, "ok", "new").toLine()));   // journaled again later
        lines.add("{\"file\":\"torn");
        Files.write(journal, lines);

        List<Path> runs = new GroupSorter(4_000).sortIntoRuns(journal, dir.resolve("run").toString());
        assertTrue(runs.size() > 5, "runs: " + runs.size());
        GroupMerge merge = new GroupMerge();
        for (int i = 0; i < runs.size(); i++) {
            merge.add(new RunFileSource(runs.get(i), g -> true), i, false);
        }
        List<String> merged = new ArrayList<>();
        int renewed = 0;
        try (merge) {
            for (RecordGroup g; (g = merge.next()) != null; ) {
                merged.add(g.file());
                renewed += g.records().getFirst().get("marker").asText().equals("new") ? 1 : 0;
            }
        }
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(PathOrder.COMPARATOR);
        assertEquals(sorted, merged, "each file once, in path order");
        assertEquals(50, renewed, "the later journal entry wins");
    }

    @Test
    void pathOrderIsByCodePoint() {
        List<String> paths = new ArrayList<>(List.of("b.txt", "a.zip!/x", "a.zip", "a.zip b", "é.txt", "😀.txt",
                "\uFF21.txt", "Z.txt"));
        paths.sort(PathOrder.COMPARATOR);
        assertEquals(List.of("Z.txt", "a.zip", "a.zip b", "a.zip!/x", "b.txt", "é.txt", "\uFF21.txt", "😀.txt"),
                paths);
    }
}
