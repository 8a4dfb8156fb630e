package dev.lectern.pipeline.output;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The first half of an external merge sort: reads an unsorted journal and writes it as sorted run files, each at
 * most {@code maxRunChars} of text, so memory stays bounded however many documents the journal holds. Within a
 * run, a file journaled twice keeps its last group (the newer one). Runs are numbered in journal order; when they
 * are merged, a later run wins over an earlier one for the same file.
 */
public final class GroupSorter {

    private final long maxRunChars;

    public GroupSorter(long maxRunChars) {
        this.maxRunChars = maxRunChars;
    }

    /**
     * @param journal   the unsorted journal (torn lines are skipped)
     * @param runPrefix path prefix of the run files; run {@code i} is {@code runPrefix + "-" + i + ".jsonl"}
     * @return the run files, in journal order
     */
    public List<Path> sortIntoRuns(Path journal, String runPrefix) throws IOException {
        List<Path> runs = new ArrayList<>();
        List<Keyed> batch = new ArrayList<>();
        long chars = 0;
        long sequence = 0;
        try (BufferedReader reader = Files.newBufferedReader(journal, StandardCharsets.UTF_8)) {
            for (String line; (line = reader.readLine()) != null; ) {
                RecordGroup group = RecordGroup.fromLine(line);
                if (group == null) {
                    continue;
                }
                batch.add(new Keyed(group.file(), sequence++, line));
                chars += line.length();
                if (chars >= maxRunChars) {
                    runs.add(writeRun(batch, Path.of(runPrefix + "-" + String.format("%06d", runs.size()) + ".jsonl")));
                    batch.clear();
                    chars = 0;
                }
            }
        }
        if (!batch.isEmpty()) {
            runs.add(writeRun(batch, Path.of(runPrefix + "-" + String.format("%06d", runs.size()) + ".jsonl")));
        }
        return runs;
    }

    private static Path writeRun(List<Keyed> batch, Path file) throws IOException {
        batch.sort(Comparator.comparing(Keyed::key, PathOrder.COMPARATOR).thenComparingLong(Keyed::sequence));
        AtomicFile.write(file, w -> {
            for (int i = 0; i < batch.size(); i++) {
                boolean supersededByNext = i + 1 < batch.size() && batch.get(i + 1).key().equals(batch.get(i).key());
                if (!supersededByNext) {
                    w.write(batch.get(i).line());
                    w.write('\n');
                }
            }
        });
        return file;
    }

    private record Keyed(String key, long sequence, String line) {
    }
}
