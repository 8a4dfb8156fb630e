package dev.lectern.bench.gptoss;

import dev.lectern.bench.Harness;
import dev.lectern.bench.Log;
import dev.lectern.bench.Stats;
import dev.lectern.bench.Table;
import dev.lectern.bench.llm.RandomBlocks;
import dev.lectern.bench.probe.Probes;
import dev.lectern.inference.generate.Session;
import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.gguf.GgufTensor;
import dev.lectern.inference.gguf.GgufWriter;
import dev.lectern.inference.model.DecoderModel;
import dev.lectern.inference.model.ModelConfig;
import dev.lectern.inference.model.Models;
import dev.lectern.inference.tensor.GgmlType;
import dev.lectern.inference.tensor.Parallel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * gpt-oss-20b-shaped decode (issue 6): a random-weight file with the real block shapes (2880 wide, 64 query / 8 KV
 * heads of 64, 32 experts of 2880 with top-4 routing, MXFP4 experts, Q8_0 attention, embedding and untied output,
 * as ggml-org's GGUF stores them) but fewer layers, since all 24 would be a 12 GB file. The figure that carries
 * over to the full model is the bandwidth achieved: bytes of weights actually read per token (the non-expert
 * weights, the output projection, and the 4 routed experts of each layer) ÷ time, against the same-run probe;
 * the 24-layer decode rate is extrapolated at that bandwidth.
 */
public final class GptOssSuite {
    static final int EMBD = 2880;
    static final int HEADS = 64;
    static final int KV_HEADS = 8;
    static final int HEAD_DIM = 64;
    static final int EXPERTS = 32;
    static final int EXPERTS_USED = 4;
    static final int EXPERT_FF = 2880;
    static final int VOCAB = 201088;
    static final int FULL_LAYERS = 24;
    static final int DECODE_TOKENS = 16;

    record Row(int threads, Stats decode, Stats readAlongside) {}

    private final List<Row> rows = new ArrayList<>();
    private final int layers;
    private final int vocab;
    private long bytesPerToken;
    private long bytesPerToken24;
    private long fileBytes;

    private GptOssSuite(int layers, int vocab) {
        this.layers = layers;
        this.vocab = vocab;
    }

    public static GptOssSuite run(Path dir, List<Integer> threadCounts, boolean quick, Probes probes) throws IOException {
        GptOssSuite suite = new GptOssSuite(quick ? 2 : 4, quick ? 32768 : VOCAB);
        Path path = suite.ensureFile(dir);
        GgufFile file = GgufFile.open(path);
        DecoderModel model = Models.load(file);
        suite.fileBytes = file.mapping().byteSize();
        suite.bytesPerToken = bytesReadPerToken(file, model.config(), suite.layers);
        suite.bytesPerToken24 = bytesReadPerToken(file, model.config(), FULL_LAYERS);
        int tokens = quick ? 4 : DECODE_TOKENS;
        Harness.Plan plan = quick ? new Harness.Plan(1, 2, 2, 1, 30) : new Harness.Plan(1, 3, 5, 12, 60);
        int[] ids = new SplittableRandom(5).ints(tokens + 1, 0, suite.vocab).toArray();
        for (int t : threadCounts) {
            try (Parallel parallel = new Parallel(t)) {
                Session session = new Session(model, 256, parallel);
                String label = "gpt-oss-20b shape, " + suite.layers + " layers, " + t + "T";
                List<Stats> s = Harness.interleaved(List.of(label + " decode tok/s", label + " read probe alongside"), plan, List.of(() -> {
                    session.reset();
                    session.decode(ids[0]);
                    long start = System.nanoTime();
                    for (int i = 1; i < ids.length; i++) session.decode(ids[i]);
                    return (ids.length - 1) / Harness.secondsSince(start);
                }, () -> probes.readPass(parallel)));
                suite.rows.add(new Row(t, s.get(0), s.get(1)));
            }
        }
        return suite;
    }

    /**
     * Weights one decode step reads, with the blocks' cost scaled to {@code layers}: per block every non-expert
     * tensor plus {@value #EXPERTS_USED} experts' slices of the expert tensors; once, the output projection, the
     * final norm and one embedding row.
     */
    static long bytesReadPerToken(GgufFile file, ModelConfig c, int layers) {
        long perBlock = 0;
        long once = 0;
        for (GgufTensor t : file.tensors()) {
            long size = t.data().byteSize();
            if (t.name().startsWith("blk.0.")) {
                perBlock += t.name().contains("_exps.") ? size / c.expertCount() * c.expertUsedCount() : size;
            } else if (t.name().equals("token_embd.weight")) {
                once += size / t.dim(1);
            } else if (!t.name().startsWith("blk.")) {
                once += size;
            }
        }
        return once + perBlock * layers;
    }

    /** The suite's model file in {@code dir}, written first if absent. */
    public static Path ensureFile(Path dir, boolean quick) throws IOException {
        return (quick ? new GptOssSuite(2, 32768) : new GptOssSuite(4, VOCAB)).ensureFile(dir);
    }

    private Path ensureFile(Path dir) throws IOException {
        Path file = dir.resolve("gpt-oss-20b-shape-MXFP4-l" + layers + "-v" + vocab + "-g1.gguf");
        if (Files.exists(file)) return file;
        long start = System.nanoTime();
        writer().write(file);
        Log.info("wrote %s (%.2f GB) in %.1f s", file, Files.size(file) / 1e9, Harness.secondsSince(start));
        return file;
    }

    private GgufWriter writer() {
        String a = "gpt-oss.";
        GgufWriter w = new GgufWriter()
                .putString("general.architecture", "gpt-oss")
                .putString("general.name", "gpt-oss-20b shape, " + layers + " layers, random weights (lectern bench)")
                .putUInt32(a + "context_length", 131072)
                .putUInt32(a + "embedding_length", EMBD)
                .putUInt32(a + "block_count", layers)
                .putUInt32(a + "feed_forward_length", EXPERT_FF)
                .putUInt32(a + "expert_feed_forward_length", EXPERT_FF)
                .putUInt32(a + "expert_count", EXPERTS)
                .putUInt32(a + "expert_used_count", EXPERTS_USED)
                .putUInt32(a + "attention.head_count", HEADS)
                .putUInt32(a + "attention.head_count_kv", KV_HEADS)
                .putUInt32(a + "attention.key_length", HEAD_DIM)
                .putUInt32(a + "attention.value_length", HEAD_DIM)
                .putUInt32(a + "attention.sliding_window", 128)
                .putFloat32(a + "attention.layer_norm_rms_epsilon", 1e-5f)
                .putFloat32(a + "rope.freq_base", 150000f)
                .putString(a + "rope.scaling.type", "yarn")
                .putFloat32(a + "rope.scaling.factor", 32f)
                .putUInt32(a + "rope.scaling.original_context_length", 4096);
        SplittableRandom seeds = new SplittableRandom(20);
        int q = HEADS * HEAD_DIM;
        int kv = KV_HEADS * HEAD_DIM;
        w.addTensor("token_embd.weight", GgmlType.Q8_0, new long[] {EMBD, vocab}, new RandomBlocks(GgmlType.Q8_0, vocab, EMBD, seeds.nextLong()));
        w.addTensor("output_norm.weight", new long[] {EMBD}, filled(EMBD, 1f));
        w.addTensor("output.weight", GgmlType.Q8_0, new long[] {EMBD, vocab}, new RandomBlocks(GgmlType.Q8_0, vocab, EMBD, seeds.nextLong()));
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            w.addTensor(p + "attn_norm.weight", new long[] {EMBD}, filled(EMBD, 1f));
            q8(w, p + "attn_q", EMBD, q, seeds);
            q8(w, p + "attn_k", EMBD, kv, seeds);
            q8(w, p + "attn_v", EMBD, kv, seeds);
            q8(w, p + "attn_output", q, EMBD, seeds);
            w.addTensor(p + "attn_sinks.weight", new long[] {HEADS}, small(HEADS, seeds.nextLong(), 1f));
            w.addTensor(p + "post_attention_norm.weight", new long[] {EMBD}, filled(EMBD, 1f));
            w.addTensor(p + "ffn_gate_inp.weight", new long[] {EMBD, EXPERTS}, small(EMBD * EXPERTS, seeds.nextLong(), 0.1f));
            w.addTensor(p + "ffn_gate_inp.bias", new long[] {EXPERTS}, small(EXPERTS, seeds.nextLong(), 0.1f));
            experts(w, p + "ffn_gate_exps", EMBD, EXPERT_FF, seeds);
            experts(w, p + "ffn_up_exps", EMBD, EXPERT_FF, seeds);
            experts(w, p + "ffn_down_exps", EXPERT_FF, EMBD, seeds);
        }
        return w;
    }

    private static void q8(GgufWriter w, String base, int in, int out, SplittableRandom seeds) {
        w.addTensor(base + ".weight", GgmlType.Q8_0, new long[] {in, out}, new RandomBlocks(GgmlType.Q8_0, out, in, seeds.nextLong()));
        w.addTensor(base + ".bias", new long[] {out}, small(out, seeds.nextLong(), 0.1f));
    }

    private static void experts(GgufWriter w, String base, int in, int out, SplittableRandom seeds) {
        w.addTensor(base + ".weight", GgmlType.MXFP4, new long[] {in, out, EXPERTS},
                new RandomBlocks(GgmlType.MXFP4, (long) out * EXPERTS, in, seeds.nextLong()));
        w.addTensor(base + ".bias", new long[] {out, EXPERTS}, small(out * EXPERTS, seeds.nextLong(), 0.1f));
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    private static float[] small(int n, long seed, float scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() - 0.5) * scale;
        return v;
    }

    public String description() {
        return String.format(Locale.ROOT, "gpt-oss-20b block shapes, %d of 24 layers, vocabulary %d (file %.2f GB); "
                        + "weights read per decoded token: %.3f GB here, %.3f GB for all 24 layers", layers, vocab,
                fileBytes / 1e9, bytesPerToken / 1e9, bytesPerToken24 / 1e9);
    }

    public Table table() {
        Table t = new Table("threads", "decode tok/s (" + layers + " layers)", "weights read GB/s ÷ read probe alongside (target ≥ 0.8)",
                "24 layers at that bandwidth: tok/s (extrapolated)");
        for (Row r : rows) {
            double gbs = r.decode().median() * bytesPerToken / 1e9;
            double probe = r.readAlongside().median();
            t.row(r.threads(), r.decode().format(2), String.format(Locale.ROOT, "%.1f ÷ %.1f = **%.2f**", gbs, probe, gbs / probe),
                    String.format(Locale.ROOT, "%.2f", gbs * 1e9 / bytesPerToken24));
        }
        return t;
    }
}
