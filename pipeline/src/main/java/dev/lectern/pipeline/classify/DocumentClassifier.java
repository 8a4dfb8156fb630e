package dev.lectern.pipeline.classify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.lectern.pipeline.embedding.DocumentEmbedder;
import dev.lectern.pipeline.embedding.Embedder;
import dev.lectern.pipeline.embedding.SentenceSplitter;
import dev.lectern.pipeline.embedding.Vectors;

/**
 * Zero-shot and few-shot classification by embedding similarity. Labels are turned into vectors once (prompts,
 * example centroids, or example sets); each document is embedded whole (the token-weighted mean of its chunks),
 * compared with every label, and the similarities become probabilities through a softmax with the configured
 * temperature. Thread-safe if the embedder is.
 */
public final class DocumentClassifier {

    private final ClassifierSettings settings;
    private final DocumentEmbedder documents;
    private final LabelScorer scorer;

    private DocumentClassifier(ClassifierSettings settings, DocumentEmbedder documents, LabelScorer scorer) {
        this.settings = settings;
        this.documents = documents;
        this.scorer = scorer;
    }

    /** Embeds the labels' prompts or examples. */
    public static DocumentClassifier create(Embedder embedder, SentenceSplitter splitter, ClassifierSettings settings) {
        ClassifyMethod method = settings.method();
        DocumentEmbedder documents = new DocumentEmbedder(embedder, splitter, settings.chunkTokens(),
                settings.maxChunks());
        LabelScorer scorer = switch (method) {
            case ZERO_SHOT -> new PrototypeScorer(settings.labels().stream()
                    .map(label -> documents.embed(settings.prompt(label)).vector()).toList());
            case CENTROID -> new PrototypeScorer(embedExamples(documents, settings).stream()
                    .map(Vectors::normalizedMean).toList());
            case KNN -> new NearestExamplesScorer(embedExamples(documents, settings), settings.k());
        };
        return new DocumentClassifier(settings, documents, scorer);
    }

    private static List<List<float[]>> embedExamples(DocumentEmbedder documents, ClassifierSettings settings) {
        List<List<float[]>> perLabel = new ArrayList<>();
        for (Label label : settings.labels()) {
            perLabel.add(label.examples().stream().map(example -> documents.embed(example).vector()).toList());
        }
        return perLabel;
    }

    public ClassifierSettings settings() {
        return settings;
    }

    public Classification classify(String text) {
        DocumentEmbedder.Result document = documents.embed(text);
        return decide(scorer.similarities(document.vector()), document.windowsEmbedded());
    }

    /** Turns per-label similarities into the decision: probabilities, top label or abstention, multi-label set. */
    Classification decide(double[] similarities, int chunks) {
        List<Label> labels = settings.labels();
        double[] p = Softmax.probabilities(similarities, settings.temperature());
        int best = 0;
        for (int l = 1; l < p.length; l++) {
            if (p[l] > p[best]) {
                best = l;
            }
        }
        Map<String, Double> probabilities = new LinkedHashMap<>();
        Map<String, Double> similarityByLabel = new LinkedHashMap<>();
        for (int l = 0; l < p.length; l++) {
            probabilities.put(labels.get(l).name(), p[l]);
            similarityByLabel.put(labels.get(l).name(), similarities[l]);
        }
        boolean abstain = p[best] < settings.abstainBelow();
        List<String> multi = null;
        if (settings.multiLabel()) {
            List<Integer> above = new ArrayList<>();
            for (int l = 0; l < p.length; l++) {
                if (p[l] >= settings.threshold()) {
                    above.add(l);
                }
            }
            // Most probable first; equal probabilities keep configuration order (the sort is stable).
            above.sort(Comparator.comparingDouble((Integer l) -> p[l]).reversed());
            multi = above.stream().map(l -> labels.get(l).name()).toList();
        }
        return new Classification(abstain ? null : labels.get(best).name(), abstain, p[best], probabilities,
                similarityByLabel, multi, chunks);
    }
}
