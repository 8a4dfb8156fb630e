package dev.lectern.bench.llamacpp;

import dev.lectern.bench.Harness;
import dev.lectern.bench.Log;
import dev.lectern.bench.Stats;
import dev.lectern.bench.Table;
import dev.lectern.bench.batch.SummarizeThroughput;
import dev.lectern.bench.llm.LlmSuite;
import dev.lectern.bench.llm.ModelShape;
import dev.lectern.bench.llm.SyntheticGguf;
import dev.lectern.bench.probe.Probes;
import dev.lectern.inference.generate.Session;
import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.model.DecoderModel;
import dev.lectern.inference.model.Models;
import dev.lectern.inference.tensor.Parallel;
import dev.lectern.inference.tokenizer.GgufVocabulary;
import dev.lectern.inference.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Our engine against llama.cpp itself ({@link LlamaCpp}) in the same process, runs alternating: prefill of a 64- and
 * a 256-token prompt and decode of 32 tokens ({@code llama-bench -p 64,256 -n 32}) on the {@code llm} suite's
 * random-weight files, each given the real tokenizer of its family (llama.cpp will not load a model without one).
 * Both engines read the same file and get the same token ids. Each round runs ours, llama.cpp and a probe pass once,
 * so a change of load hits all three alike.
 *
 * <p>Also checks that llama.cpp loads our GGUF writer's files, and compares the two engines' greedy output on the
 * Llama-1B Q8_0 file.
 */
public final class LlamaCppSuite {
    private static final Path VOCABULARIES = Path.of("inference/src/test/resources/shared/models/vocab");
    private static final int CONTEXT = 512;
    private static final int DECODE_TOKENS = 32;
    private static final int QUICK_DECODE_TOKENS = 8;
    private static final int GREEDY_TOKENS = 16;

    record Row(ModelShape shape, int threads, Stats ours64, Stats theirs64, Stats fma64, Stats ours256, Stats theirs256,
               Stats fma256, Stats oursDecode, Stats theirsDecode, Stats readAtDecode) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private LlamaCppSuite() {}

    /** The `llm` suite's shapes; quick ones keep the full vocabulary (llama.cpp wants it to match the tokenizer's). */
    static List<ModelShape> shapes(boolean quick) {
        List<ModelShape> full = LlmSuite.fullShapes();
        return quick ? full.stream().map(ModelShape::quickFullVocabulary).toList() : full;
    }

    public static LlamaCppSuite run(Path dir, List<Integer> threadCounts, boolean quick, Probes probes) throws IOException {
        LlamaCppSuite suite = new LlamaCppSuite();
        // One round of the 256-token prefill of a 1B model is ~15 s at 1 thread (both engines and the probe).
        Harness.Plan plan = quick ? new Harness.Plan(1, 2, 2, 1, 30) : new Harness.Plan(1, 3, 5, 10, 60);
        Harness.Plan warm = quick ? plan : new Harness.Plan(0, 3, 5, 10, 60);
        int decodeTokens = quick ? QUICK_DECODE_TOKENS : DECODE_TOKENS;
        for (ModelShape shape : shapes(quick)) {
            Path path = withTokenizer(dir, shape);
            GgufFile file = GgufFile.open(path);
            DecoderModel model = Models.load(file);
            SplittableRandom random = new SplittableRandom(7);
            int[] prompt64 = random.ints(64, 0, shape.vocab()).toArray();
            int[] prompt256 = random.ints(256, 0, shape.vocab()).toArray();
            int[] generated = random.ints(decodeTokens + 1, 0, shape.vocab()).toArray();
            boolean first = true;
            for (int t : threadCounts) {
                try (Parallel parallel = new Parallel(t); LlamaCpp peer = LlamaCpp.open(path, t, CONTEXT)) {
                    Session session = new Session(model, CONTEXT, parallel);
                    if (first) {
                        suite.notes.add(crossCheck(shape, file, session, peer, prompt64));
                        first = false;
                    }
                    String label = shape.label() + ", " + t + "T";
                    List<Stats> pp64 = Harness.interleaved(
                            List.of(label + " prefill 64, ours", label + " prefill 64, llama.cpp", label + " FMA probe alongside"), plan,
                            List.of(() -> LlmSuite.prefill(session, prompt64), () -> peer.prefill(prompt64), () -> probes.fmaPass(parallel)));
                    List<Stats> pp256 = Harness.interleaved(
                            List.of(label + " prefill 256, ours", label + " prefill 256, llama.cpp", label + " FMA probe alongside"), warm,
                            List.of(() -> LlmSuite.prefill(session, prompt256), () -> peer.prefill(prompt256), () -> probes.fmaPass(parallel)));
                    List<Stats> dec = Harness.interleaved(
                            List.of(label + " decode, ours", label + " decode, llama.cpp", label + " read probe alongside"), plan,
                            List.of(() -> LlmSuite.decode(session, generated), () -> peer.decode(generated[0], decodeTokens),
                                    () -> probes.readPass(parallel)));
                    suite.rows.add(new Row(shape, t, pp64.get(0), pp64.get(1), pp64.get(2), pp256.get(0), pp256.get(1), pp256.get(2),
                            dec.get(0), dec.get(1), dec.get(2)));
                }
            }
        }
        return suite;
    }

    /**
     * The {@code llm} suite's file for {@code shape} with its family's tokenizer merged in, after checking that the
     * tokenizer's size is the embedding's (llama.cpp refuses any other).
     */
    static Path withTokenizer(Path dir, ModelShape shape) throws IOException {
        Path vocab = VOCABULARIES.resolve(shape.arch().equals("qwen2") ? "ggml-vocab-qwen2.gguf" : "ggml-vocab-llama-bpe.gguf");
        if (!Files.isRegularFile(vocab)) {
            throw new IOException(vocab.toAbsolutePath() + ": vocabulary file not found (run bench/run from the repository root)");
        }
        int tokens = GgufVocabulary.read(vocab).size();
        if (tokens != shape.vocab()) {
            throw new IOException(vocab + ": 'tokenizer.ggml.tokens' has " + tokens + " tokens, the shape " + shape.label()
                    + " has a vocabulary of " + shape.vocab());
        }
        return SummarizeThroughput.withVocabulary(SyntheticGguf.ensure(dir, shape), vocab);
    }

    /**
     * Greedy decoding of the same prompt by both engines, compared as text (the binding returns text, not ids): how
     * many of our tokens llama.cpp's output starts with.
     */
    private static String crossCheck(ModelShape shape, GgufFile file, Session session, LlamaCpp peer, int[] prompt) {
        Tokenizer tokenizer = GgufVocabulary.tokenizer(file);
        String theirs = peer.greedy(prompt, GREEDY_TOKENS);
        session.reset();
        float[] logits = session.prefill(prompt);
        int[] ours = new int[GREEDY_TOKENS];
        for (int i = 0; i < GREEDY_TOKENS; i++) {
            ours[i] = argmax(logits);
            if (i + 1 < GREEDY_TOKENS) logits = session.decode(ours[i]);
        }
        int agree = 0;
        while (agree < GREEDY_TOKENS && theirs.startsWith(tokenizer.decode(java.util.Arrays.copyOf(ours, agree + 1)))) agree++;
        String note = String.format(Locale.ROOT, "%s: llama.cpp loaded the file; greedy decoding of a 64-token prompt: the first %d of %d "
                + "tokens agree (ours %s = %s; llama.cpp's text %s)", shape.label(), agree, GREEDY_TOKENS,
                java.util.Arrays.toString(ours), quote(tokenizer.decode(ours)), quote(theirs));
        Log.info("%s", note);
        return note;
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '\n') sb.append("\\n");
            else if (c == '|') sb.append("\\|");
            else if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    public Table table() {
        Table t = new Table("model", "threads", "prefill 64 tok/s: ours / llama.cpp", "prefill 256 tok/s: ours / llama.cpp",
                "decode tok/s: ours / llama.cpp", "FMA probe GFLOP/s alongside (64 / 256)", "read probe GB/s alongside decode");
        for (Row r : rows) {
            t.row(r.shape().label(), r.threads(), vs(r.ours64(), r.theirs64()), vs(r.ours256(), r.theirs256()),
                    vs(r.oursDecode(), r.theirsDecode()),
                    String.format(Locale.ROOT, "%.0f / %.0f", r.fma64().median(), r.fma256().median()),
                    r.readAtDecode().format(1));
        }
        return t;
    }

    public List<String> notes() {
        return notes;
    }

    private static String vs(Stats ours, Stats theirs) {
        return String.format(Locale.ROOT, "%s / %s = **%.2f×**", ours.format(1), theirs.format(1), ours.median() / theirs.median());
    }
}
