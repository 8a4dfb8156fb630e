package dev.lectern.pipeline.output;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/** Reads a sorted run file written by {@link GroupSorter}, skipping groups the filter rejects. */
public final class RunFileSource implements GroupSource {

    private final BufferedReader reader;
    private final Predicate<RecordGroup> filter;

    public RunFileSource(Path file, Predicate<RecordGroup> filter) throws IOException {
        this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        this.filter = filter;
    }

    @Override
    public RecordGroup next() throws IOException {
        for (String line; (line = reader.readLine()) != null; ) {
            RecordGroup group = RecordGroup.fromLine(line);
            if (group != null && filter.test(group)) {
                return group;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
