package dev.lectern.inference.embed;

import static dev.lectern.inference.testing.ReferenceValues.ints;
import static dev.lectern.inference.testing.ReferenceValues.floats;
import static dev.lectern.inference.testing.ReferenceValues.cosine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lectern.inference.tensor.Parallel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * all-MiniLM-L6-v2 on this engine against ONNX Runtime's fp32 output through langchain4j
 * ({@code shared/reference/minilm/fp32}): identical token ids, cosine ≥ 0.9999 and a small max |Δ| for every input.
 */
class MiniLmReferenceTest {
    static final List<String> STEMS = List.of("a_fox", "b_empty", "c_paragraph40", "d_long600", "e_french",
            "f_japanese", "g_accents_symbols", "h_emoji_controls", "i_fox_paraphrase");
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<JsonNode> REFERENCES = new ArrayList<>();
    static SentenceEmbedder embedder;
    static Parallel twoThreads;

    @BeforeAll
    static void load() throws IOException {
        embedder = DefaultModel.load();
        twoThreads = new Parallel(2);
        for (String stem : STEMS) {
            try (InputStream in = MiniLmReferenceTest.class.getClassLoader()
                    .getResourceAsStream("shared/reference/minilm/fp32/" + stem + ".json")) {
                REFERENCES.add(JSON.readTree(in));
            }
        }
    }

    @AfterAll
    static void close() {
        twoThreads.close();
    }

    @Test
    void everyEmbeddingMatchesOnnxRuntime() {
        List<String> texts = REFERENCES.stream().map(r -> r.get("text").textValue()).toList();
        float[][] vectors = embedder.embed(texts);
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < STEMS.size(); i++) {
            JsonNode ref = REFERENCES.get(i);
            assertArrayEquals(ints(ref.get("token_ids")), embedder.tokenizer().encodeForModel(texts.get(i)), STEMS.get(i));
            float[] expected = floats(ref.get("embedding"));
            float[] actual = vectors[i];
            assertEquals(384, actual.length);
            double cosine = cosine(expected, actual);
            double maxDiff = maxAbsDiff(expected, actual);
            report.append(String.format("%-20s cosine %.9f  max|Δ| %.2e%n", STEMS.get(i), cosine, maxDiff));
            assertTrue(cosine >= 0.9999, STEMS.get(i) + ": cosine " + cosine);
            assertTrue(maxDiff < 5e-5, STEMS.get(i) + ": max |Δ| " + maxDiff);
            assertEquals(1.0, norm(actual), 1e-5);
        }
        System.out.print(report);
    }

    @Test
    void theHiddenStatesMatchToo() {
        for (String stem : List.of("a_fox", "b_empty")) {
            JsonNode ref = REFERENCES.get(STEMS.indexOf(stem));
            int[] ids = ints(ref.get("token_ids"));
            float[] hidden = embedder.encoder().forward(new int[][] {ids}, Parallel.serial());
            JsonNode rows = ref.get("last_hidden_state");
            assertEquals(ids.length, rows.size());
            double maxDiff = 0;
            for (int t = 0; t < ids.length; t++) {
                float[] expected = floats(rows.get(t));
                maxDiff = Math.max(maxDiff, maxAbsDiff(expected, Arrays.copyOfRange(hidden, t * 384, (t + 1) * 384)));
            }
            System.out.printf("%s last_hidden_state max|Δ| %.2e%n", stem, maxDiff);
            assertTrue(maxDiff < 2e-4, stem + ": last_hidden_state max |Δ| " + maxDiff);
        }
    }

    @Test
    void aBatchGivesTheSameBitsAsOneAtATimeAndAsAnyThreadCount() {
        List<String> texts = REFERENCES.stream().map(r -> r.get("text").textValue()).toList();
        float[][] batched = embedder.withParallel(Parallel.serial()).embed(texts);
        float[][] twoThreaded = embedder.withParallel(twoThreads).embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            float[] alone = embedder.withParallel(Parallel.serial()).embed(texts.get(i));
            assertArrayEquals(alone, batched[i], STEMS.get(i) + " alone vs in a batch");
            assertArrayEquals(batched[i], twoThreaded[i], STEMS.get(i) + " 1 vs 2 threads");
        }
    }

    @Test
    void moreTokensThanOneForwardPassAreSplitIntoSeveralWithTheSameResult() {
        String longText = REFERENCES.get(STEMS.indexOf("d_long600")).get("text").textValue();
        int copies = SentenceEmbedder.MAX_BATCH_TOKENS / 128 + 1;
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            texts.add(longText);
        }
        float[][] vectors = embedder.embed(texts);
        float[] expected = floats(REFERENCES.get(STEMS.indexOf("d_long600")).get("embedding"));
        assertTrue(cosine(expected, vectors[copies - 1]) >= 0.9999);
        assertArrayEquals(vectors[0], vectors[copies - 1]);
    }

    @Test
    void concurrentCallersShareTheModelAndGetTheSameVectors() throws Exception {
        List<String> texts = REFERENCES.stream().map(r -> r.get("text").textValue()).toList();
        float[][] expected = embedder.embed(texts);
        SentenceEmbedder shared = DefaultModel.load();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(3)) {
            List<java.util.concurrent.Future<float[][]>> results = new ArrayList<>();
            for (int caller = 0; caller < 3; caller++) {
                results.add(pool.submit(() -> shared.embed(texts)));
            }
            for (var result : results) {
                float[][] vectors = result.get();
                for (int i = 0; i < texts.size(); i++) {
                    assertArrayEquals(expected[i], vectors[i], STEMS.get(i));
                }
            }
        }
    }

    @Test
    void theModelIsLoadedOncePerJvm() {
        assertSame(embedder, DefaultModel.load());
        assertEquals(126, embedder.maxTokens());
        assertEquals(10, embedder.countTokens("The quick brown fox jumps over the lazy dog."));
    }

    @Test
    void similarSentencesAreCloserThanUnrelatedOnes() {
        float[][] v = embedder.embed(List.of(REFERENCES.get(0).get("text").textValue(),
                REFERENCES.get(8).get("text").textValue(), REFERENCES.get(4).get("text").textValue()));
        assertEquals(0.788887, cosine(v[0], v[1]), 1e-4); // cosine.json: a_fox vs i_fox_paraphrase
        assertEquals(0.009252, cosine(v[0], v[2]), 1e-4); // a_fox vs e_french
    }




    static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    static double norm(float[] a) {
        double sum = 0;
        for (float x : a) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }
}
