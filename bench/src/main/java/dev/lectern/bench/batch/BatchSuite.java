package dev.lectern.bench.batch;

import dev.lectern.bench.Harness;
import dev.lectern.bench.Stats;
import dev.lectern.bench.Table;
import dev.lectern.bench.llm.ModelShape;
import dev.lectern.bench.llm.SyntheticGguf;
import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.model.Batch;
import dev.lectern.inference.model.DecoderModel;
import dev.lectern.inference.model.KvCache;
import dev.lectern.inference.model.Models;
import dev.lectern.inference.model.Workspace;
import dev.lectern.inference.tensor.GgmlType;
import dev.lectern.inference.tensor.Parallel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Multi-sequence decode throughput (issue 5): N sequences advance one token each in ONE forward pass, as
 * {@code BatchGenerator} runs its decode steps (batch-invariant workspace), so every weight read serves N tokens.
 * Reports generated tokens/s summed over the sequences for N = 1, 4, 8 on the Llama-3.2-1B shape in Q8_0 and in Q4_0.
 */
public final class BatchSuite {
    static final int[] SIZES = {1, 4, 8};

    record Row(String model, int threads, int sequences, boolean invariant, Stats tokensPerSecond) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<ModelShape> shapes = new ArrayList<>();

    private BatchSuite() {}

    public static BatchSuite run(Path dir, List<Integer> threadCounts, boolean quick) throws IOException {
        BatchSuite suite = new BatchSuite();
        for (GgmlType type : new GgmlType[] {GgmlType.Q8_0, GgmlType.Q4_0}) {
            ModelShape full = ModelShape.llama32_1b(type);
            suite.shapes.add(quick ? full.quick() : full);
        }
        for (ModelShape shape : suite.shapes) suite.measure(dir, shape, threadCounts, quick);
        return suite;
    }

    private void measure(Path dir, ModelShape shape, List<Integer> threadCounts, boolean quick) throws IOException {
        int steps = quick ? 4 : 16;
        Harness.Plan plan = quick ? new Harness.Plan(1, 2, 2, 1, 30) : new Harness.Plan(1, 3, 5, 12, 60);
        DecoderModel model = Models.load(GgufFile.open(SyntheticGguf.ensure(dir, shape)));
        for (int t : threadCounts) {
            try (Parallel parallel = new Parallel(t)) {
                for (int v = 0; v <= SIZES.length; v++) {
                    // First the single-sequence pass with the plain decode kernels (what Session.decode runs), then
                    // the batch-invariant passes BatchGenerator runs.
                    boolean invariant = v > 0;
                    int n = invariant ? SIZES[v - 1] : 1;
                    KvCache[] caches = new KvCache[n];
                    for (int s = 0; s < n; s++) caches[s] = model.newCache(steps + 1);
                    Workspace ws = model.newWorkspace(n, invariant);
                    Batch batch = new Batch(n);
                    int[][] tokens = split(n, steps + 1, shape.vocab());
                    Stats stats = Harness.measure(shape.label() + ", " + t + "T, batch " + n + (invariant ? "" : " plain kernels") + " tok/s", plan,
                            () -> steps(model, parallel, ws, batch, caches, tokens, steps));
                    rows.add(new Row(shape.label(), t, n, invariant, stats));
                }
            }
        }
    }

    private static int[][] split(int n, int length, int vocab) {
        SplittableRandom random = new SplittableRandom(n);
        int[][] tokens = new int[n][];
        for (int s = 0; s < n; s++) tokens[s] = random.ints(length, 0, vocab).toArray();
        return tokens;
    }

    /** One untimed step from empty caches, then {@code steps} timed steps; returns tokens/s over all sequences. */
    private static double steps(DecoderModel model, Parallel parallel, Workspace ws, Batch batch, KvCache[] caches,
                                int[][] tokens, int steps) {
        for (KvCache c : caches) c.clear();
        step(model, parallel, ws, batch, caches, tokens, 0);
        long start = System.nanoTime();
        for (int i = 1; i <= steps; i++) step(model, parallel, ws, batch, caches, tokens, i);
        return (double) steps * caches.length / Harness.secondsSince(start);
    }

    private static void step(DecoderModel model, Parallel parallel, Workspace ws, Batch batch, KvCache[] caches,
                             int[][] tokens, int i) {
        batch.clear();
        for (int s = 0; s < caches.length; s++) batch.add(caches[s], tokens[s][i], true);
        model.forward(batch, ws, parallel);
    }

    public String description() {
        return String.join(" and ", shapes.stream().map(ModelShape::label).toList()) + ", one decode step = one forward pass with one row per sequence (batch-invariant kernels, as "
                + "BatchGenerator runs them; the first row of each thread count is a lone sequence on the plain decode kernels)";
    }

    public Table table() {
        Table t = new Table("model", "threads", "sequences per pass", "tokens/s (all sequences)",
                "÷ batch 1, same kernels (target ≥ 4 at batch 8)", "÷ single-sequence decode (plain kernels)");
        for (Row r : rows) {
            Row one = find(r.model(), r.threads(), true);
            Row plain = find(r.model(), r.threads(), false);
            t.row(r.model(), r.threads(), r.invariant() ? r.sequences() : "1, plain decode kernels (Session.decode)", r.tokensPerSecond().format(2),
                    r.invariant() ? String.format(Locale.ROOT, "**%.2f×**", r.tokensPerSecond().median() / one.tokensPerSecond().median()) : "–",
                    String.format(Locale.ROOT, "%.2f×", r.tokensPerSecond().median() / plain.tokensPerSecond().median()));
        }
        return t;
    }

    private Row find(String model, int threads, boolean invariant) {
        return rows.stream().filter(o -> o.model().equals(model) && o.threads() == threads && o.sequences() == 1 && o.invariant() == invariant).findFirst().orElseThrow();
    }
}
