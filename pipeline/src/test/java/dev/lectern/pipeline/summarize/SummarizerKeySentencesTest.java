package dev.lectern.pipeline.summarize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.lectern.pipeline.embedding.Embedder;
import dev.lectern.pipeline.embedding.EngineEmbedder;
import dev.lectern.pipeline.embedding.SentenceSplitter;

/**
 * The summarizer with the real default model on a constructed document whose key sentences are known: four
 * sentences about a library's repair café, four off-topic fillers, an exact repeat and a paraphrase of key
 * sentences, and a heading.
 */
class SummarizerKeySentencesTest {

    /** Sentence indices of the four key sentences of repair-cafe.txt (0 is the heading). */
    private static final List<Integer> KEY = List.of(1, 3, 6, 10);
    private static final int PARAPHRASE = 5;
    private static final int REPEAT = 8;

    private static final Embedder MODEL = EngineEmbedder.builtIn();
    private final SentenceSplitter splitter = new SentenceSplitter();

    private static String document() throws IOException {
        try (InputStream in = SummarizerKeySentencesTest.class.getResourceAsStream("/tasks/repair-cafe.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Summary summarize(int maxSentences, int maxTokens) throws IOException {
        return new ExtractiveSummarizer(MODEL, splitter, SummarizerSettings.of(maxSentences, maxTokens))
                .summarize(document());
    }

    @Test
    void theSentenceLayoutIsWhatTheTestAssumes() throws IOException {
        List<String> sentences = splitter.split(document());
        assertEquals(11, sentences.size());
        assertEquals(sentences.get(3), sentences.get(REPEAT));
        assertTrue(sentences.get(PARAPHRASE).startsWith("The Riverside public library opened a repair café,"));
    }

    @Test
    void fourSentenceSummaryIsExactlyTheKeySentencesInDocumentOrder() throws IOException {
        Summary summary = summarize(4, 0);
        assertEquals(KEY, summary.sentences().stream().map(SummarySentence::index).toList(), summary.text());
        assertEquals(11, summary.sentenceCount());
    }

    @Test
    void aLargerBudgetStillNeverRepeatsAKeySentence() throws IOException {
        Summary summary = summarize(8, 0);
        List<Integer> indices = summary.sentences().stream().map(SummarySentence::index).toList();
        assertTrue(indices.containsAll(KEY), indices.toString());
        assertTrue(!indices.contains(REPEAT), "exact repeat chosen: " + indices);
        assertTrue(!indices.contains(PARAPHRASE), "paraphrase of a chosen sentence chosen: " + indices);
        assertEquals(indices.stream().sorted().toList(), indices, "not in document order");
        long distinct = summary.sentences().stream().map(SummarySentence::text).distinct().count();
        assertEquals(summary.sentences().size(), distinct);
    }

    @Test
    void aTokenBudgetIsRespectedAndSpentOnKeySentences() throws IOException {
        Summary summary = summarize(10, 60);
        assertTrue(summary.tokens() <= 60, "tokens " + summary.tokens());
        int counted = summary.sentences().stream().mapToInt(s -> MODEL.countTokens(s.text())).sum();
        assertEquals(counted, summary.tokens());
        assertTrue(summary.sentences().size() >= 2, summary.text());
        assertTrue(Set.copyOf(KEY).containsAll(summary.sentences().stream().map(SummarySentence::index).toList()),
                summary.text());
    }
}
