package dev.lectern.bench.llm;

import dev.lectern.bench.Harness;
import dev.lectern.bench.Stats;
import dev.lectern.bench.Table;
import dev.lectern.bench.probe.Probes;
import dev.lectern.inference.generate.Session;
import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.model.DecoderModel;
import dev.lectern.inference.model.Models;
import dev.lectern.inference.tensor.GgmlType;
import dev.lectern.inference.tensor.Parallel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Prefill and decode speed of the decoder models on random-weight files of real shapes: prefill of a 64- and a
 * 256-token prompt into an empty cache (tokens/s), and decode of 32 tokens (8 with --quick) one at a time from an empty cache, as
 * {@code llama-bench -p 64,256 -n 32} does. Token ids are random; no tokenizer is involved.
 */
public final class LlmSuite {
    static final int DECODE_TOKENS = 32;
    static final int QUICK_DECODE_TOKENS = 8;

    /** The measured figures of one shape at one thread count. */
    record Row(ModelShape shape, long fileBytes, Workload work, int threads, Stats pp64, Stats fma64, Stats pp256,
               Stats fma256, Stats decode, Stats readAtDecode) {}

    private final List<Row> rows = new ArrayList<>();
    private final boolean quick;

    private LlmSuite(boolean quick) {
        this.quick = quick;
    }

    /** The real shapes the LLM suites measure: Llama-3.2-1B in Q8_0 and Q4_0, Qwen2.5-0.5B in Q8_0. */
    public static List<ModelShape> fullShapes() {
        return List.of(
                ModelShape.llama32_1b(GgmlType.Q8_0),
                ModelShape.llama32_1b(GgmlType.Q4_0),
                ModelShape.qwen25_05b(GgmlType.Q8_0));
    }

    public static List<ModelShape> shapes(boolean quick) {
        return quick ? fullShapes().stream().map(ModelShape::quick).toList() : fullShapes();
    }

    public static LlmSuite run(Path dir, List<Integer> threadCounts, boolean quick, Probes probes) throws IOException {
        LlmSuite suite = new LlmSuite(quick);
        // Prefill plans: a 256-token prefill of a 1B model takes seconds, so few runs; the hard limit keeps a slow
        // engine from blowing the suite's time budget.
        Harness.Plan prefill = quick ? new Harness.Plan(1, 2, 2, 1, 30) : new Harness.Plan(1, 3, 5, 12, 60);
        Harness.Plan prefillWarm = quick ? prefill : new Harness.Plan(0, 3, 5, 12, 60);
        Harness.Plan decode = quick ? new Harness.Plan(1, 2, 2, 1, 30) : new Harness.Plan(1, 3, 5, 12, 60);
        for (ModelShape shape : shapes(quick)) {
            Path path = SyntheticGguf.ensure(dir, shape);
            GgufFile file = GgufFile.open(path);
            DecoderModel model = Models.load(file);
            Workload work = Workload.of(file, model.config());
            SplittableRandom random = new SplittableRandom(7);
            int[] prompt64 = random.ints(64, 0, shape.vocab()).toArray();
            int[] prompt256 = random.ints(256, 0, shape.vocab()).toArray();
            int[] generated = random.ints((quick ? QUICK_DECODE_TOKENS : DECODE_TOKENS) + 1, 0, shape.vocab()).toArray();
            for (int t : threadCounts) {
                try (Parallel parallel = new Parallel(t)) {
                    Session session = new Session(model, 512, parallel);
                    String label = shape.label() + ", " + t + "T";
                    List<Stats> pp64 = Harness.interleaved(List.of(label + " prefill 64 tok/s", label + " FMA probe alongside"),
                            prefill, List.of(() -> prefill(session, prompt64), () -> probes.fmaPass(parallel)));
                    // The 64-token runs have compiled the prefill path: no warm-up needed at 256.
                    List<Stats> pp256 = Harness.interleaved(List.of(label + " prefill 256 tok/s", label + " FMA probe alongside"),
                            prefillWarm, List.of(() -> prefill(session, prompt256), () -> probes.fmaPass(parallel)));
                    List<Stats> dec = Harness.interleaved(List.of(label + " decode tok/s", label + " read probe alongside"),
                            decode, List.of(() -> decode(session, generated), () -> probes.readPass(parallel)));
                    suite.rows.add(new Row(shape, file.mapping().byteSize(), work, t, pp64.get(0), pp64.get(1), pp256.get(0), pp256.get(1),
                            dec.get(0), dec.get(1)));
                }
            }
        }
        return suite;
    }

    /** One timed prefill of {@code prompt} into an empty cache: tokens/s. */
    public static double prefill(Session session, int[] prompt) {
        session.reset();
        long start = System.nanoTime();
        session.prefill(prompt);
        return prompt.length / Harness.secondsSince(start);
    }

    /** Decodes {@code tokens[1..]} after {@code tokens[0]} (untimed, so the timed steps start from a warm session). */
    public static double decode(Session session, int[] tokens) {
        session.reset();
        session.decode(tokens[0]);
        long start = System.nanoTime();
        for (int i = 1; i < tokens.length; i++) session.decode(tokens[i]);
        return (tokens.length - 1) / Harness.secondsSince(start);
    }

    /** Our figures with the ratios against the probes run alternately with them. */
    public Table table() {
        Table t = new Table("model", "file", "threads", "prefill tok/s, 64-token prompt", "prefill tok/s, 256",
                "decode tok/s", "decode weight GB/s ÷ read probe alongside (target ≥ 0.8)",
                "prefill GFLOP/s ÷ FMA probe alongside, 64 / 256 (target ≥ 0.5)");
        for (Row r : rows) {
            double decodeGBs = r.decode().median() * r.work().decodeBytes() / 1e9;
            double read = r.readAtDecode().median();
            double flops64 = r.pp64().median() / 64 * r.work().prefillFlops(64) / 1e9;
            double flops256 = r.pp256().median() / 256 * r.work().prefillFlops(256) / 1e9;
            double peak64 = r.fma64().median();
            double peak256 = r.fma256().median();
            t.row(r.shape().label(), String.format(Locale.ROOT, "%.2f GB", r.fileBytes() / 1e9), r.threads(),
                    r.pp64().format(1), r.pp256().format(1), r.decode().format(2),
                    String.format(Locale.ROOT, "%.1f ÷ %.1f = **%.2f**", decodeGBs, read, decodeGBs / read),
                    String.format(Locale.ROOT, "%.1f ÷ %.1f = **%.2f**; %.1f ÷ %.1f = **%.2f**", flops64, peak64,
                            flops64 / peak64, flops256, peak256, flops256 / peak256));
        }
        return t;
    }

    /** Our medians against llama.cpp's reference figures (not same-run). */
    public Table referenceTable() {
        Table t = new Table("model", "threads", "prefill 64: ours / llama.cpp", "prefill 256: ours / llama.cpp", "decode: ours / llama.cpp");
        for (Row r : rows) {
            LlamaCppReference ref = LlamaCppReference.of(r.shape(), r.threads());
            if (ref == null) continue;
            t.row(r.shape().label(), r.threads(), vs(r.pp64().median(), ref.prefill64()), vs(r.pp256().median(), ref.prefill256()),
                    vs(r.decode().median(), ref.decode()));
        }
        return t;
    }

    private static String vs(double ours, double theirs) {
        if (Double.isNaN(theirs)) return String.format(Locale.ROOT, "%.1f / – ", ours);
        return String.format(Locale.ROOT, "%.1f / %.1f = **%.2f×**", ours, theirs, ours / theirs);
    }

    public boolean quick() {
        return quick;
    }

}
