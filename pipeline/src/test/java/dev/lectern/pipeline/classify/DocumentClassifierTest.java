package dev.lectern.pipeline.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lectern.pipeline.embedding.HashingEmbedder;
import dev.lectern.pipeline.embedding.SentenceSplitter;

/** Decision mechanics with a bag-of-words stand-in for the model; accuracy with the real model is tested elsewhere. */
class DocumentClassifierTest {

    private static final List<Label> LABELS = List.of(
            new Label("cooking", "recipes, ovens, flour and sugar", List.of()),
            new Label("sports", "football matches, goals and players", List.of()),
            new Label("finance", null, List.of()));

    private final HashingEmbedder embedder = new HashingEmbedder(128);
    private final SentenceSplitter splitter = new SentenceSplitter();

    private DocumentClassifier classifier(ClassifierSettings options) {
        return DocumentClassifier.create(embedder, splitter, options);
    }

    private static ClassifierSettings options(double abstainBelow, double multiLabelThreshold) {
        return ClassifierSettings.of(LABELS, ClassifyMethod.ZERO_SHOT, 128)
                .withDecision(abstainBelow, multiLabelThreshold > 0, multiLabelThreshold);
    }

    @Test
    void zeroShotPicksTheLabelWhoseDescriptionMatches() {
        DocumentClassifier classifier = classifier(options(0.4, 0));
        Classification result = classifier.classify("Mix the flour and sugar, then bake the recipes in the oven.");
        assertEquals("cooking", result.label());
        assertFalse(result.abstain());
        assertEquals(List.of("cooking", "sports", "finance"), List.copyOf(result.probabilities().keySet()));
        assertEquals(1.0, result.probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
        assertEquals(result.confidence(), result.probabilities().get("cooking"));
    }

    @Test
    void probabilitiesAreTheSoftmaxOfSimilaritiesAtTheTemperature() {
        Classification result = classifier(options(0, 0)).decide(new double[]{0.30, 0.20, 0.10}, 1);
        double e0 = Math.exp(0), e1 = Math.exp(-0.1 / 0.05), e2 = Math.exp(-0.2 / 0.05);
        assertEquals(e0 / (e0 + e1 + e2), result.probabilities().get("cooking"), 1e-12);
        assertEquals(e1 / (e0 + e1 + e2), result.probabilities().get("sports"), 1e-12);
        assertEquals(0.20, result.similarities().get("sports"), 1e-12);
    }

    @Test
    void abstainsBelowTheMinimumConfidence() {
        DocumentClassifier classifier = classifier(options(0.5, 0));
        Classification unsure = classifier.decide(new double[]{0.31, 0.30, 0.29}, 1);
        assertTrue(unsure.abstain());
        assertNull(unsure.label());
        assertTrue(unsure.confidence() < 0.5);
        Classification sure = classifier.decide(new double[]{0.60, 0.30, 0.29}, 1);
        assertFalse(sure.abstain());
        assertEquals("cooking", sure.label());
    }

    @Test
    void multiLabelListsEveryLabelAboveTheThresholdMostProbableFirst() {
        Classification result = classifier(options(0, 0.2)).decide(new double[]{0.30, 0.32, 0.10}, 1);
        assertEquals(List.of("sports", "cooking"), result.labels());
        assertNull(classifier(options(0, 0)).decide(new double[]{0.30, 0.32, 0.10}, 1).labels());
    }

    @Test
    void tiesGoToTheFirstLabel() {
        assertEquals("cooking", classifier(options(0, 0)).decide(new double[]{0.3, 0.3, 0.3}, 1).label());
    }

    @Test
    void fewShotCentroidAndKnnUseTheExamples() {
        List<Label> labels = List.of(
                new Label("cooking", null, List.of("Bake the bread in a hot oven.", "Whisk eggs with sugar.")),
                new Label("sports", null, List.of("The striker scored a late goal.", "The team won the cup final.")));
        ClassifierSettings options = ClassifierSettings.of(labels, ClassifyMethod.CENTROID, 128);
        DocumentClassifier centroid = classifier(options);
        assertEquals("sports", centroid.classify("A goal in the final won the cup for the team.").label());
        DocumentClassifier knn = classifier(options.withMethod(ClassifyMethod.KNN));
        assertEquals("cooking", knn.classify("Put the bread in the oven.").label());
    }

    @Test
    void fewShotWithALabelLackingExamplesIsAClearError() {
        List<Label> labels = List.of(new Label("cooking", null, List.of("Bake bread.")),
                new Label("sports", null, List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassifierSettings.of(labels, ClassifyMethod.KNN, 128));
        assertEquals("method knn needs examples for every label; no examples for sports", e.getMessage());
    }

    @Test
    void promptTemplateFallsBackToTheNameWithoutDescription() {
        ClassifierSettings options = options(0, 0).withLabelTemplate("{label}: {description}");
        assertEquals("finance: finance", options.prompt(LABELS.get(2)));
        assertEquals("cooking: recipes, ovens, flour and sugar", options.prompt(LABELS.get(0)));
        assertThrows(IllegalArgumentException.class, () -> options.withLabelTemplate("no placeholder"));
    }
}
