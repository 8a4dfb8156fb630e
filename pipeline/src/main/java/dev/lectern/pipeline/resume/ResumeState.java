package dev.lectern.pipeline.resume;

import dev.lectern.pipeline.output.GroupMerge;
import dev.lectern.pipeline.output.GroupSorter;
import dev.lectern.pipeline.output.RecordGroup;
import dev.lectern.pipeline.output.ResultsFileSource;
import dev.lectern.pipeline.output.RunFileSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What an earlier run of the same job left that this run may keep: the previous results file (when its manifest
 * states the same task configuration hash) and the journals of interrupted runs. A group is reusable when all its
 * records are ok and its task configuration hash is this run's; for a file found in several places, the newest
 * reusable group counts. A reusable group is actually kept only if the file still has the same SHA-256, which
 * the worker checks when it reaches the file ({@link #reusableSha256()}).
 */
public final class ResumeState {

    /** Sorted runs of interrupted journals and the previous results rank below this run's own journal runs. */
    public static final int FRESH_PRECEDENCE = 1_000_000;
    private static final long MAX_RUN_CHARS = 64L << 20;

    private final WorkDir workDir;
    private final Path previousResults;
    private final String previousHash;
    private final Predicate<RecordGroup> reusable;
    private final Map<String, String> reusableSha256;
    private final boolean enabled;

    private ResumeState(WorkDir workDir, Path previousResults, String previousHash, String taskConfigHash,
                        boolean enabled) throws IOException {
        this.enabled = enabled;
        this.workDir = workDir;
        this.previousResults = previousResults;
        this.previousHash = previousHash;
        this.reusable = g -> taskConfigHash.equals(g.taskConfigHash()) && g.sha256() != null && g.allOk();
        this.reusableSha256 = new HashMap<>();
        try (GroupMerge merge = openSources()) {
            for (RecordGroup g; (g = merge.next()) != null; ) {
                reusableSha256.put(g.file(), g.sha256());
            }
        }
    }

    /**
     * Prepares resume for a run: sorts the journals interrupted runs left (then deletes them) and indexes what
     * may be kept.
     *
     * @param previousResults the results file, or null to ignore it (no manifest, or another configuration)
     * @param previousHash    the task configuration hash in the previous results' manifest
     */
    public static ResumeState prepare(WorkDir workDir, Path previousResults, String previousHash,
                                      String taskConfigHash) throws IOException {
        workDir.deleteFreshRuns();
        GroupSorter sorter = new GroupSorter(MAX_RUN_CHARS);
        for (Path journal : workDir.journals()) {
            sorter.sortIntoRuns(journal, workDir.sortedPrefix(journal));
            Files.delete(journal);
        }
        return new ResumeState(workDir, previousResults, previousHash, taskConfigHash, true);
    }

    /** Nothing to keep ({@code output.mode: overwrite}): forgets what earlier runs left. */
    public static ResumeState discard(WorkDir workDir) throws IOException {
        workDir.clear();
        return new ResumeState(workDir, null, null, "", false);
    }

    /** Input file path to the SHA-256 its kept group was made from. */
    public Map<String, String> reusableSha256() {
        return reusableSha256;
    }

    /** A merge over every reusable source, ranked below {@link #FRESH_PRECEDENCE}; the caller adds this run's. */
    public GroupMerge openSources() throws IOException {
        GroupMerge merge = new GroupMerge();
        if (!enabled) {
            return merge;
        }
        if (previousResults != null && Files.isRegularFile(previousResults)) {
            merge.add(new ResultsFileSource(previousResults, previousHash, reusable), 0, true);
        }
        List<Path> runs = workDir.sortedRuns();
        for (int i = 0; i < runs.size(); i++) {
            merge.add(new RunFileSource(runs.get(i), reusable), i + 1, true);
        }
        return merge;
    }
}
