package dev.lectern.pipeline.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lectern.pipeline.embedding.Embedder;
import dev.lectern.pipeline.embedding.EngineEmbedder;
import dev.lectern.pipeline.embedding.SentenceSplitter;

/**
 * Accuracy of zero-shot and few-shot classification with the real default model on a labelled set written for
 * this project (30 short texts, 3 labels; src/test/resources/tasks/labelled-set.tsv), with floors well above
 * chance (1/3). The few-shot examples (three per label) are separate texts.
 */
class LabelledSetAccuracyTest {

    private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        DESCRIPTIONS.put("health", "medicine, illness, doctors, hospitals and healthy living");
        DESCRIPTIONS.put("technology", "computers, software, the internet and electronic devices");
        DESCRIPTIONS.put("travel", "trips, tourism, flights, hotels and visiting other countries");
    }

    private static final Embedder MODEL = EngineEmbedder.builtIn();
    private static List<String[]> labelled;
    private static Map<String, List<String>> examples;

    @BeforeAll
    static void load() throws IOException {
        labelled = read("/tasks/labelled-set.tsv");
        examples = new LinkedHashMap<>();
        for (String[] row : read("/tasks/few-shot-examples.tsv")) {
            examples.computeIfAbsent(row[0], k -> new ArrayList<>()).add(row[1]);
        }
        assertEquals(30, labelled.size());
    }

    private static List<String[]> read(String resource) throws IOException {
        try (InputStream in = LabelledSetAccuracyTest.class.getResourceAsStream(resource)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split("\t", 2)).toList();
        }
    }

    private static double accuracy(ClassifierSettings settings) {
        DocumentClassifier classifier = DocumentClassifier.create(MODEL, new SentenceSplitter(), settings);
        int correct = 0;
        for (String[] row : labelled) {
            if (row[0].equals(classifier.classify(row[1]).label())) {
                correct++;
            }
        }
        double accuracy = (double) correct / labelled.size();
        System.out.printf("%s (%s): accuracy %.3f%n", settings.method().recordName(), settings.labels().getFirst().description() == null ? "names" : "descriptions", accuracy);
        return accuracy;
    }

    private static List<Label> labels(boolean withDescriptions, boolean withExamples) {
        return DESCRIPTIONS.entrySet().stream().map(e -> new Label(e.getKey(),
                withDescriptions ? e.getValue() : null,
                withExamples ? examples.get(e.getKey()) : List.of())).toList();
    }

    @Test
    void zeroShotWithDescriptions() {
        double accuracy = accuracy(ClassifierSettings.of(labels(true, false), ClassifyMethod.ZERO_SHOT, 126));
        assertTrue(accuracy >= 0.9, "zero-shot accuracy " + accuracy);
    }

    @Test
    void zeroShotWithNamesOnly() {
        double accuracy = accuracy(ClassifierSettings.of(labels(false, false), ClassifyMethod.ZERO_SHOT, 126));
        assertTrue(accuracy >= 0.9, "zero-shot (names only) accuracy " + accuracy);
    }

    @Test
    void fewShotCentroid() {
        double accuracy = accuracy(ClassifierSettings.of(labels(false, true), ClassifyMethod.CENTROID, 126));
        assertTrue(accuracy >= 0.85, "centroid accuracy " + accuracy);
    }

    @Test
    void fewShotNearestExamples() {
        double accuracy = accuracy(ClassifierSettings.of(labels(false, true), ClassifyMethod.KNN, 126));
        assertTrue(accuracy >= 0.85, "knn accuracy " + accuracy);
    }
}
