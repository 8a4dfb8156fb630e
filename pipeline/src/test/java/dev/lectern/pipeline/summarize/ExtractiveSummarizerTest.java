package dev.lectern.pipeline.summarize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lectern.pipeline.embedding.DocumentEmbedder;
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
    void aRunOnSentenceCostsAFewPiecesAndCountsAllItsTokens() {
        String runOn = "word ".repeat(1000).strip() + ".";
        HashingEmbedder small = new HashingEmbedder(10);
        Summary summary = new ExtractiveSummarizer(small, splitter, new SummarizerSettings(2, 5000, 0.3, 0.1, 100))
                .summarize("Tomatoes need full sun and steady water in the garden. " + runOn);
        assertEquals(2, summary.sentences().size());
        assertEquals(1000 + 10, summary.tokens());
        assertTrue(small.texts.get() <= 2 + ExtractiveSummarizer.MAX_PIECES_PER_SENTENCE, "texts " + small.texts);
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
    void aLongDocumentIsCoveredToTheEnd() {
        // 45 sentences on gardening, then 30 on a railway: over 1,024 tokens, so two sections.
        StringBuilder text = new StringBuilder();
        String[] garden = {"tomatoes", "garden", "soil", "water", "compost", "seedlings", "harvest", "weeds"};
        String[] railway = {"locomotive", "station", "timetable", "carriages", "platform", "signals"};
        for (int i = 0; i < 45; i++) {
            text.append(sentence(garden, i)).append(' ');
        }
        for (int i = 0; i < 30; i++) {
            text.append(sentence(railway, i)).append(' ');
        }
        Summary summary = summarize(text.toString(), 4, 0);
        assertEquals(75, summary.sentenceCount());
        assertTrue(summary.sentences().stream().anyMatch(s -> s.index() >= 45), summary.text());
        assertTrue(summary.sentences().stream().anyMatch(s -> s.index() < 45), summary.text());
        assertTrue(embedder.largestBatch.get() <= DocumentEmbedder.BATCH_SIZE, "batch " + embedder.largestBatch);
    }

    @Test
    void aDocumentWithTooManySentencesIsJudgedOnSentencesSpreadOverIt() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            text.append("Sentence number ").append(i).append(" talks about gardens and tomatoes today. ");
        }
        Summary summary = new ExtractiveSummarizer(embedder, splitter, new SummarizerSettings(3, 0, 0.3, 0.1, 5))
                .summarize(text.toString());
        assertEquals(40, summary.sentenceCount());
        // Five candidates spread evenly: sentences 0, 9, 19, 29 and 39.
        assertTrue(summary.sentences().stream().allMatch(s -> List.of(0, 9, 19, 29, 39).contains(s.index())),
                summary.sentences().toString());
    }

    private static String sentence(String[] words, int seed) {
        StringBuilder s = new StringBuilder("The");
        for (int w = 0; w < 14; w++) {
            s.append(' ').append(words[(seed * 7 + w * 3 + w * w) % words.length]);
        }
        return s.append('.').toString();
    }

    @Test
    void sectionsHaveAboutEqualTokenCounts() {
        int[] tokens = new int[100];
        java.util.Arrays.fill(tokens, 25);
        List<int[]> sections = ExtractiveSummarizer.sections(tokens, 5);
        assertEquals(3, sections.size());
        assertEquals(List.of(0, 34, 67), sections.stream().map(s -> s[0]).toList());
        assertEquals(100, sections.getLast()[1]);
        assertEquals(2, ExtractiveSummarizer.sections(tokens, 2).size(), "no more sections than summary sentences");
        assertEquals(1, ExtractiveSummarizer.sections(new int[]{10, 20, 30}, 5).size());
    }

    @Test
    void sameInputSameSummary() {
        assertEquals(summarize(DOCUMENT, 3, 0), summarize(DOCUMENT, 3, 0));
    }
}
