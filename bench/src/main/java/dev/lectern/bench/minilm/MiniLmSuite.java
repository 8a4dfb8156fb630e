package dev.lectern.bench.minilm;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.lectern.bench.Harness;
import dev.lectern.bench.Log;
import dev.lectern.bench.Stats;
import dev.lectern.bench.Table;
import dev.lectern.inference.embed.DefaultModel;
import dev.lectern.inference.embed.SentenceEmbedder;
import dev.lectern.inference.tensor.Parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Sentences/s of the default embedding model (all-MiniLM-L6-v2) on our encoder against ONNX Runtime through
 * langchain4j, same sentences, same process, runs alternating between the contenders. One run embeds the whole
 * list with one call ({@code SentenceEmbedder.embed(List)} / {@code EmbeddingModel.embedAll}).
 *
 * <p>ONNX Runtime gets every configuration that fits the thread count, and the ratio is taken against its best:
 * at 1 thread one ORT thread with texts in sequence; at N threads N ORT threads per text, N texts in parallel on
 * one ORT thread each, and (when N is the machine's CPU count) the stock {@code AllMiniLmL6V2EmbeddingModel()}
 * with its defaults.
 */
public final class MiniLmSuite {

    record Contender(String name, Stats stats) {}

    record Row(int threads, Stats ours, List<Contender> ort) {
        Contender best() {
            Contender b = ort.get(0);
            for (Contender c : ort) if (c.stats().median() > b.stats().median()) b = c;
            return b;
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> sentences;
    private double minCosine = Double.NaN;
    private double meanTokens;

    private MiniLmSuite(List<String> sentences) {
        this.sentences = sentences;
    }

    public static MiniLmSuite run(List<Integer> threadCounts, boolean quick) throws Exception {
        MiniLmSuite suite = new MiniLmSuite(Sentences.generate(quick ? 32 : 256, 30, 11));
        List<TextSegment> segments = suite.sentences.stream().map(TextSegment::from).toList();
        Harness.Plan plan = quick ? new Harness.Plan(1, 2, 2, 1, 30) : new Harness.Plan(1, 4, 7, 10, 40);
        int cpus = Runtime.getRuntime().availableProcessors();
        SentenceEmbedder shared = DefaultModel.load();
        suite.meanTokens = suite.sentences.stream().mapToInt(s -> shared.tokenizer().encodeForModel(s).length).average().orElse(0);
        List<ExecutorService> pools = new ArrayList<>();
        try {
            for (int t : threadCounts) {
                try (Parallel parallel = new Parallel(t)) {
                    SentenceEmbedder ours = shared.withParallel(parallel);
                    List<String> labels = new ArrayList<>(List.of("MiniLM ours, " + t + "T sentences/s"));
                    List<Harness.Run> runs = new ArrayList<>(List.of(() -> rate(suite.sentences.size(), () -> ours.embed(suite.sentences))));
                    List<String> names = new ArrayList<>();
                    if (t == 1) {
                        add(names, labels, runs, "ORT 1 thread, texts in sequence", new OrtMiniLm(1, Runnable::run), segments);
                    } else {
                        add(names, labels, runs, "ORT " + t + " threads per text, texts in sequence", new OrtMiniLm(t, Runnable::run), segments);
                        ExecutorService pool = Executors.newFixedThreadPool(t);
                        pools.add(pool);
                        add(names, labels, runs, "ORT 1 thread per text, " + t + " texts in parallel", new OrtMiniLm(1, pool), segments);
                        if (t == cpus) add(names, labels, runs, "ORT stock AllMiniLmL6V2EmbeddingModel() defaults", new AllMiniLmL6V2EmbeddingModel(), segments);
                    }
                    List<Stats> stats = Harness.interleaved(labels, plan, runs);
                    List<Contender> ort = new ArrayList<>();
                    for (int i = 0; i < names.size(); i++) ort.add(new Contender(names.get(i), stats.get(i + 1)));
                    suite.rows.add(new Row(t, stats.get(0), ort));
                }
            }
            suite.minCosine = agreement(shared, new OrtMiniLm(1, Runnable::run), suite.sentences, segments);
        } finally {
            pools.forEach(ExecutorService::shutdownNow);
        }
        return suite;
    }

    private static void add(List<String> names, List<String> labels, List<Harness.Run> runs, String name,
                            EmbeddingModel model, List<TextSegment> segments) {
        names.add(name);
        labels.add("MiniLM " + name);
        runs.add(() -> rate(segments.size(), () -> model.embedAll(segments)));
    }

    private static double rate(int count, Runnable work) {
        long start = System.nanoTime();
        work.run();
        return count / Harness.secondsSince(start);
    }

    /** The smallest cosine similarity between our vector and ORT's over all sentences (both are unit vectors). */
    private static double agreement(SentenceEmbedder ours, EmbeddingModel ort, List<String> sentences, List<TextSegment> segments) {
        float[][] a = ours.embed(sentences);
        List<Embedding> b = ort.embedAll(segments).content();
        double min = 1;
        for (int i = 0; i < a.length; i++) {
            float[] v = b.get(i).vector();
            double dot = 0;
            for (int j = 0; j < v.length; j++) dot += (double) a[i][j] * v[j];
            min = Math.min(min, dot);
        }
        Log.info("MiniLM agreement with ONNX Runtime: min cosine %.6f over %d sentences", min, a.length);
        return min;
    }

    public String description() {
        return String.format(Locale.ROOT, "%d distinct sentences of about 30 words (%.1f WordPiece tokens on average with [CLS]/[SEP]) "
                + "per run; smallest cosine between our and ONNX Runtime's vector over them: %.6f.", sentences.size(), meanTokens, minCosine);
    }

    public Table table() {
        Table t = new Table("threads", "ours: sentences/s", "ONNX Runtime (langchain4j), each configuration: sentences/s", "ours ÷ best ORT (target ≥ 1.0)");
        for (Row r : rows) {
            StringBuilder ort = new StringBuilder();
            for (Contender c : r.ort()) {
                if (!ort.isEmpty()) ort.append("; ");
                ort.append(c.name()).append(": ").append(c.stats().format(1));
            }
            Contender best = r.best();
            t.row(r.threads(), r.ours().format(1), ort, String.format(Locale.ROOT, "**%.2f**", r.ours().median() / best.stats().median()));
        }
        return t;
    }
}
