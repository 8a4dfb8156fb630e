package dev.lectern.bench.batch;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.model.Batch;
import dev.lectern.inference.model.DecoderModel;
import dev.lectern.inference.model.KvCache;
import dev.lectern.inference.model.Models;
import dev.lectern.inference.model.Workspace;
import dev.lectern.inference.tensor.Parallel;

import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Decode steps of one or two models back to back in one JVM, printing tokens/s per round: for A/B comparisons of
 * kernels across builds (run it alternately with each build's classes first on the class path) and for profiling
 * a single configuration, which {@code bench/run batch} does not isolate. A round is 16 steps of {@code sequences}
 * sequences from empty caches, as {@link BatchSuite} runs them (batch-invariant workspace); the first round of each
 * model is a warm-up and is not printed. With a second model, it runs in the same JVM after the first: what shows
 * whether one model's kernels slow another's down through the JIT's shared profiles.
 *
 * <pre>java ... dev.lectern.bench.batch.DecodeLoop MODEL.gguf SEQUENCES THREADS SECONDS [MODEL2.gguf SEQUENCES2 SECONDS2]</pre>
 */
public final class DecodeLoop {

    private static final int STEPS = 16;

    private DecodeLoop() {}

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[2]);
        run(Path.of(args[0]), Integer.parseInt(args[1]), threads, Integer.parseInt(args[3]), "");
        if (args.length >= 7) run(Path.of(args[4]), Integer.parseInt(args[5]), threads, Integer.parseInt(args[6]), "second model: ");
    }

    private static void run(Path file, int sequences, int threads, int seconds, String label) {
        DecoderModel model = Models.load(GgufFile.open(file));
        try (Parallel parallel = new Parallel(threads)) {
            KvCache[] caches = new KvCache[sequences];
            for (int s = 0; s < sequences; s++) caches[s] = model.newCache(STEPS + 1);
            Workspace ws = model.newWorkspace(sequences, true);
            Batch batch = new Batch(sequences);
            SplittableRandom random = new SplittableRandom(1);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            for (int round = 0; System.nanoTime() < end; round++) {
                for (KvCache c : caches) c.clear();
                long start = System.nanoTime();
                for (int i = 0; i < STEPS; i++) {
                    batch.clear();
                    for (int s = 0; s < sequences; s++) batch.add(caches[s], random.nextInt(1000), true);
                    model.forward(batch, ws, parallel);
                }
                double tokensPerSecond = STEPS * sequences / ((System.nanoTime() - start) / 1e9);
                if (round > 0) System.out.printf(Locale.ROOT, "%s%.2f tok/s%n", label, tokensPerSecond);
            }
        }
    }
}
