package dev.lectern.inference.generate;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.model.Batch;
import dev.lectern.inference.model.DecoderModel;
import dev.lectern.inference.model.Models;
import dev.lectern.inference.tensor.Parallel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Results do not depend on the thread count, and batched prefill agrees with token-by-token decoding. */
class DeterminismTest {
    private static final int[] PROMPT = {1, 403, 407, 261, 378, 442, 299, 275, 365, 400, 300, 411};

    private static float[] generateLogits(DecoderModel model, Parallel parallel) {
        Session s = new Session(model, 64, parallel);
        float[] all = new float[model.vocabSize() * 9];
        float[] logits = s.prefill(PROMPT);
        for (int step = 0; step < 9; step++) {
            System.arraycopy(logits, 0, all, step * model.vocabSize(), model.vocabSize());
            logits = s.decode(dev.lectern.inference.sampling.Sampler.argmax(logits));
        }
        return all;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"synthetic/tiny-qwen3-f32.gguf", "synthetic/tiny-gpt-oss-mxfp4.gguf"})
    void logitsAreBitIdenticalForOneTwoAndThreeThreads(String file) {
        DecoderModel model = Models.load(GgufFile.open(Reference.model(file)));
        float[] one = generateLogits(model, Parallel.serial());
        try (Parallel two = new Parallel(2); Parallel three = new Parallel(3)) {
            assertArrayEquals(one, generateLogits(model, two));
            assertArrayEquals(one, generateLogits(model, three));
        }
    }

    @Test
    void batchedPrefillAgreesWithOneTokenAtATime() {
        DecoderModel model = Models.load(GgufFile.open(Reference.model("synthetic/tiny-llama3-f32.gguf")));
        float[] batched = new Session(model, 64, Parallel.serial()).prefill(PROMPT).clone();
        Session single = new Session(model, 64, Parallel.serial());
        float[] stepwise = null;
        for (int id : PROMPT) stepwise = single.decode(id);
        for (int i = 0; i < batched.length; i++) {
            assertEquals(stepwise[i], batched[i], 1e-4f * Math.max(1f, Math.abs(stepwise[i])), "logit " + i);
        }
    }

    /**
     * A 300-token prompt on tiny-gpt-oss (sliding window 4 on layer 0): two prefill passes (256 + 44 rows) whose
     * window ring wraps, against one token at a time.
     */
    @Test
    void longPrefillThroughASlidingWindowRingAgreesWithStepwise() {
        DecoderModel model = Models.load(GgufFile.open(Reference.model("synthetic/tiny-gpt-oss-f32.gguf")));
        int[] prompt = new int[300];
        for (int i = 0; i < prompt.length; i++) prompt[i] = 3 + (i * 131) % 509;
        float[] batched = new Session(model, 512, Parallel.serial()).prefill(prompt).clone();
        Session single = new Session(model, 512, Parallel.serial());
        float[] stepwise = null;
        for (int id : prompt) stepwise = single.decode(id);
        for (int i = 0; i < batched.length; i++) {
            assertEquals(stepwise[i], batched[i], 1e-4f * Math.max(1f, Math.abs(stepwise[i])), "logit " + i);
        }
    }

    @Test
    void twoSequencesInOneBatchMatchTheirOwnSessions() {
        DecoderModel model = Models.load(GgufFile.open(Reference.model("synthetic/tiny-qwen2-f32.gguf")));
        int[] a = {1, 403, 407, 261};
        int[] b = {1, 300, 411, 275, 365, 400};
        float[] aAlone = new Session(model, 64, Parallel.serial()).prefill(a).clone();
        float[] bAlone = new Session(model, 64, Parallel.serial()).prefill(b).clone();

        var ws = model.newWorkspace();
        var cacheA = model.newCache(64);
        var cacheB = model.newCache(64);
        Batch batch = new Batch(16);
        // Interleave the two prompts in one pass; each row attends only within its own sequence.
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            if (i < a.length) batch.add(cacheA, a[i], i == a.length - 1);
            if (i < b.length) batch.add(cacheB, b[i], i == b.length - 1);
        }
        model.forward(batch, ws, Parallel.serial());
        int v = model.vocabSize();
        assertEquals(2, batch.logitCount());
        float[] logits = ws.logits();
        for (int i = 0; i < v; i++) {
            assertEquals(aAlone[i], logits[i], 1e-5f * Math.max(1f, Math.abs(aAlone[i])), "sequence a logit " + i);
            assertEquals(bAlone[i], logits[v + i], 1e-5f * Math.max(1f, Math.abs(bAlone[i])), "sequence b logit " + i);
        }
        assertTrue(cacheA.length() == a.length && cacheB.length() == b.length);
    }

    @Test
    void logProbabilitiesAgreeWithStepwiseLogits() {
        DecoderModel model = Models.load(GgufFile.open(Reference.model("gguf/stories260K.gguf")));
        int[] context = {1, 403, 407};
        // 40 tokens: more than one scoring pass of 32 rows.
        int[] continuation = new int[40];
        for (int i = 0; i < continuation.length; i++) continuation[i] = 261 + (i * 37) % 200;

        Session scored = new Session(model, 128, Parallel.serial());
        float[] first = scored.logProbabilities(context);
        assertTrue(Float.isNaN(first[0]));
        float[] lp = scored.logProbabilities(continuation);

        Session stepwise = new Session(model, 128, Parallel.serial());
        float[] logits = stepwise.prefill(context);
        for (int i = 0; i < continuation.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (float x : logits) max = Math.max(max, x);
            double sum = 0;
            for (float x : logits) sum += Math.exp(x - max);
            double expected = logits[continuation[i]] - max - Math.log(sum);
            assertEquals(expected, lp[i], 1e-4, "token " + i);
            logits = stepwise.decode(continuation[i]);
        }
        float[] after = scored.logits();
        for (int j = 0; j < after.length; j++) assertEquals(logits[j], after[j], 1e-4f * Math.max(1f, Math.abs(logits[j])));
        assertEquals(context.length + continuation.length, scored.position());
    }
}
