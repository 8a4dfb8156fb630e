package dev.lectern.pipeline.summarize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lectern.pipeline.embedding.HashingEmbedder;
import dev.lectern.pipeline.embedding.SentenceSplitter;

/** The summarizer's mechanics with a bag-of-words stand-in for the model; the real model is tested elsewhere. */
class ExtractiveSummarizerTest {

    private static final String DOCUMENT = """
            Garden Notes

            Tomatoes need full sun and steady water to grow well in the garden.
            The bus to the city leaves every hour from the station.
            Tomatoes grow well in the garden when the soil is rich and the water is steady.
            Tomatoes need full sun and steady water to grow well in the garden.
            Prune tomatoes in the garden so that the sun reaches the fruit and water reaches the roots.
            My cousin collects stamps from many countries.
            """;

    private final HashingEmbedder embedder = new HashingEmbedder(128);
    private final SentenceSplitter splitter = new SentenceSplitter();

    private Summary summarize(String text, int maxSentences, int maxTokens) {
        return new ExtractiveSummarizer(embedder, splitter,
                new SummarizerSettings(maxSentences, maxTokens, 0.3, 0.1, 2000)).summarize(text);
    }

    @Test
    void picksTheTopicalSentencesInDocumentOrderWithoutRepeats() {
        Summary summary = summarize(DOCUMENT, 3, 0);
        assertEquals(7, summary.sentenceCount());
        List<Integer> indices = summary.sentences().stream().map(SummarySentence::index).toList();
        assertEquals(List.of(1, 3, 5), indices, summary.toString());
        assertTrue(summary.text().startsWith("Tomatoes need full sun"));
    }

    @Test
    void headingsAndExactRepeatsDoNotCompete() {
        Summary summary = summarize(DOCUMENT, 10, 0);
        List<Integer> indices = summary.sentences().stream().map(SummarySentence::index).toList();
        assertFalse(indices.contains(0), "heading chosen: " + indices);
        assertFalse(indices.contains(4), "repeat chosen: " + indices);
        assertEquals(indices.stream().sorted().toList(), indices);
    }

    @Test
    void staysWithinTheTokenBudget() {
        Summary summary = summarize(DOCUMENT, 10, 30);
        assertTrue(summary.tokens() <= 30, "tokens " + summary.tokens());
        assertFalse(summary.sentences().isEmpty());
        int counted = summary.sentences().stream().mapToInt(s -> embedder.countTokens(s.text())).sum();
        assertEquals(counted, summary.tokens());
    }

    @Test
    void sentencesLongerThanTheModelLimitAreEmbeddedInPieces() {
        HashingEmbedder small = new HashingEmbedder(6);
        Summary summary = new ExtractiveSummarizer(small, splitter, SummarizerSettings.of(5, 0)).summarize(DOCUMENT);
        assertEquals(5, summary.sentences().size());
    }

    @Test
    void textWithoutSentencesHasAnEmptySummary() {
        Summary summary = summarize("   \n\n  ", 3, 0);
        assertEquals("", summary.text());
        assertEquals(0, summary.sentenceCount());
    }

    @Test
    void textOfFragmentsOnlyStillGetsASummary() {
        Summary summary = summarize("Shopping list\nEggs\nMilk\n", 2, 0);
        assertEquals(2, summary.sentences().size());
    }

    @Test
    void sameInputSameSummary() {
        assertEquals(summarize(DOCUMENT, 3, 0), summarize(DOCUMENT, 3, 0));
    }
}
