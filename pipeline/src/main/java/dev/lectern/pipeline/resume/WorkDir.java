package dev.lectern.pipeline.resume;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folder beside the results where a run keeps what it needs to resume: {@code .NAME.work/} next to
 * {@code NAME.jsonl}. It holds journals ({@code journal-STAMP-JVM.jsonl}: groups appended and forced to disk as
 * documents finish, in completion order) and sorted runs ({@code sorted-STAMP-....jsonl}: journals of interrupted
 * runs, sorted). A successful run deletes it.
 */
public final class WorkDir {

    private final Path root;

    public WorkDir(Path root) {
        this.root = root;
    }

    public static WorkDir forOutput(Path outputFile) {
        Path absolute = outputFile.toAbsolutePath().normalize();
        return new WorkDir(absolute.getParent().resolve("." + absolute.getFileName() + ".work"));
    }

    public Path root() {
        return root;
    }

    public Path journal(String stamp, String jvmId) {
        return root.resolve("journal-" + stamp + "-" + jvmId + ".jsonl");
    }

    /** Prefix for the sorted runs of one journal, named so that file-name order is journal age order. */
    public String sortedPrefix(Path journal) {
        String name = journal.getFileName().toString();
        String stem = name.substring("journal-".length(), name.length() - ".jsonl".length());
        return root.resolve("sorted-" + stem).toString();
    }

    /** Prefix for the sorted runs a finishing run makes of its own journal (never taken for resume). */
    public String freshPrefix(Path journal) {
        String name = journal.getFileName().toString();
        String stem = name.substring("journal-".length(), name.length() - ".jsonl".length());
        return root.resolve("fresh-" + stem).toString();
    }

    public List<Path> journals() {
        return list("journal-");
    }

    /** Sorted runs of earlier interrupted runs, oldest first. */
    public List<Path> sortedRuns() {
        return list("sorted-");
    }

    /** A stamp later than every file in the folder, so that names sort by run. */
    public String newStamp() {
        long latest = Stream.concat(journals().stream(), sortedRuns().stream())
                .map(p -> p.getFileName().toString().split("-")[1])
                .mapToLong(Long::parseLong).max().orElse(0);
        return String.format("%015d", Math.max(System.currentTimeMillis(), latest + 1));
    }

    /** Removes sorted runs a run made while finishing and did not get to delete (it was killed then). */
    public void deleteFreshRuns() throws IOException {
        for (Path p : list("fresh-")) {
            Files.deleteIfExists(p);
        }
    }

    /**
     * Takes the folder for this process, so that two runs of the same job never interleave their journals and
     * results. Released when the returned lock is closed (or the process dies: the OS drops the lock).
     *
     * @throws IllegalStateException when another run holds it
     */
    public FileLock lock() throws IOException {
        Files.createDirectories(root);
        FileChannel channel = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("another lectern run is writing the same results (its work folder "
                    + root + " is locked); wait for it to finish");
        }
        return lock;
    }

    /** Forgets everything earlier runs left (journals, sorted runs), keeping the folder and its lock. */
    public void clear() throws IOException {
        for (String prefix : List.of("journal-", "sorted-", "fresh-")) {
            for (Path p : list(prefix)) {
                Files.deleteIfExists(p);
            }
        }
    }

    public void create() throws IOException {
        Files.createDirectories(root);
    }

    public void delete() throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private List<Path> list(String prefix) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(root)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)
                            && p.getFileName().toString().endsWith(".jsonl"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }
}
