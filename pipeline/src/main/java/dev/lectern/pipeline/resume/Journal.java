package dev.lectern.pipeline.resume;

import dev.lectern.pipeline.output.RecordGroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The append-only record of finished input files: each file's group is appended as one line and forced to disk
 * before the next document counts as done, so a run killed with {@code kill -9} loses at most the documents in
 * flight. One journal file per JVM and run, shared by every worker thread of that JVM.
 */
public final class Journal {

    /** Names this JVM's journals apart from other JVMs' (Flink task managers) writing into the same folder. */
    private static final String JVM_ID = UUID.randomUUID().toString().substring(0, 8);
    private static final ConcurrentMap<Path, Journal> OPEN = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;

    private Journal(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    /** This JVM's journal for the run stamped {@code stamp} in {@code workDir}, opened on first use. */
    public static Journal forRun(Path workDir, String stamp) {
        Path file = new WorkDir(workDir).journal(stamp, JVM_ID);
        return OPEN.computeIfAbsent(file, f -> {
            try {
                return new Journal(f);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the journal " + f, e);
            }
        });
    }

    public synchronized void append(RecordGroup group) {
        ByteBuffer bytes = ByteBuffer.wrap((group.toLine() + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the journal " + file, e);
        }
    }

    /** Closes this JVM's journals of one run (the files stay; the run's finish step reads them). */
    public static void closeRun(Path workDir, String stamp) {
        String prefix = "journal-" + stamp + "-";
        OPEN.entrySet().removeIf(e -> {
            boolean match = e.getKey().getParent().equals(workDir)
                    && e.getKey().getFileName().toString().startsWith(prefix);
            if (match) {
                try {
                    e.getValue().channel.close();
                } catch (IOException ignored) {
                    // Every append was forced to disk already; a failing close loses nothing.
                }
            }
            return match;
        });
    }
}
