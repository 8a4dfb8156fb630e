package dev.lectern.inference.generate;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.model.Batch;
import dev.lectern.inference.model.DecoderModel;
import dev.lectern.inference.model.KvCache;
import dev.lectern.inference.model.Models;
import dev.lectern.inference.model.Workspace;
import dev.lectern.inference.sampling.Sampler;
import dev.lectern.inference.sampling.SamplingParameters;
import dev.lectern.inference.tensor.Parallel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Multi-sequence decoding: one pass serves many sequences, and no sequence can tell how many shared it. */
class BatchGeneratorTest {

    /** Eight prompts of different lengths (ids valid in every fixture's vocabulary). */
    private static int[][] prompts() {
        int[][] p = new int[8][];
        for (int i = 0; i < p.length; i++) {
            p[i] = new int[3 + i * 2];
            p[i][0] = 1;
            for (int j = 1; j < p[i].length; j++) p[i][j] = 260 + (i * 37 + j * 11) % 200;
        }
        return p;
    }

    /**
     * Prefills each prompt in its own cache, then runs decode steps with the eight sequences in ONE batch, and
     * returns every step's logits, sequence-major.
     */
    private static float[][] decodeTogether(DecoderModel model, int[][] prompts, int steps, int batchRows, Parallel parallel) {
        Workspace prefill = model.newWorkspace(64, false);
        Workspace decode = model.newWorkspace(batchRows, true);
        int v = model.vocabSize();
        KvCache[] caches = new KvCache[prompts.length];
        int[] next = new int[prompts.length];
        float[][] out = new float[prompts.length][steps * v];
        for (int s = 0; s < prompts.length; s++) {
            caches[s] = model.newCache(64);
            Batch b = new Batch(64);
            for (int i = 0; i < prompts[s].length; i++) b.add(caches[s], prompts[s][i], i == prompts[s].length - 1);
            model.forward(b, prefill, parallel);
            next[s] = Sampler.argmax(Arrays.copyOf(prefill.logits(), v));
        }
        Batch batch = new Batch(batchRows);
        for (int step = 0; step < steps; step++) {
            // Sequences go through in groups of batchRows per pass.
            for (int first = 0; first < prompts.length; first += batchRows) {
                int last = Math.min(prompts.length, first + batchRows);
                batch.clear();
                for (int s = first; s < last; s++) batch.add(caches[s], next[s], true);
                model.forward(batch, decode, parallel);
                for (int s = first; s < last; s++) {
                    System.arraycopy(decode.logits(), (s - first) * v, out[s], step * v, v);
                    next[s] = Sampler.argmax(Arrays.copyOfRange(decode.logits(), (s - first) * v, (s - first + 1) * v));
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gguf/stories260K-q8_0.gguf", "gguf/stories260K-q4_0.gguf", "synthetic/tiny-llama3-f32.gguf",
            "synthetic/tiny-qwen3-f32.gguf", "synthetic/tiny-gpt-oss-mxfp4.gguf"})
    void decodeLogitsAreBitIdenticalForBatchesOfOneTwoAndEight(String file) {
        DecoderModel model = Models.load(GgufFile.open(Reference.model(file)));
        float[][] alone = decodeTogether(model, prompts(), 4, 1, Parallel.serial());
        try (Parallel two = new Parallel(2)) {
            float[][] pairs = decodeTogether(model, prompts(), 4, 2, two);
            float[][] eight = decodeTogether(model, prompts(), 4, 8, two);
            for (int s = 0; s < alone.length; s++) {
                assertArrayEquals(alone[s], pairs[s], "sequence " + s + ", batch of 2");
                assertArrayEquals(alone[s], eight[s], "sequence " + s + ", batch of 8");
            }
        }
    }

    /**
     * A decode step of one row runs the same kernel in a plain session (projections fused into shared parallel
     * loops) as in a batch-invariant one ({@code Matrix.rows}), so a sequence that only ever decodes single rows gets
     * the same bits either way, with or without biases, on one thread or two.
     */
    @ParameterizedTest
    @ValueSource(strings = {"gguf/stories260K-q8_0.gguf", "gguf/stories260K-q4_0.gguf", "synthetic/tiny-qwen2-f32.gguf"})
    void singleRowStepsAreBitIdenticalInPlainAndBatchInvariantSessions(String file) {
        DecoderModel model = Models.load(GgufFile.open(Reference.model(file)));
        int[] tokens = prompts()[3];
        try (Parallel two = new Parallel(2)) {
            Session plain = new Session(model, 64, two, false);
            Session invariant = new Session(model, 64, Parallel.serial(), true);
            for (int i = 0; i < tokens.length; i++) {
                assertArrayEquals(invariant.decode(tokens[i]).clone(), plain.decode(tokens[i]).clone(), "step " + i);
            }
        }
    }

    @Test
    void batchInvariantKernelsStayCloseToTheFusedSingleRowPath() {
        DecoderModel model = Models.load(GgufFile.open(Reference.model("gguf/stories260K-q8_0.gguf")));
        int[] prompt = prompts()[3];
        float[] fused = new Session(model, 64, Parallel.serial(), false).prefill(prompt).clone();
        float[] invariant = new Session(model, 64, Parallel.serial(), true).prefill(prompt).clone();
        for (int i = 0; i < fused.length; i++) {
            assertEquals(fused[i], invariant[i], 1e-3f * Math.max(1f, Math.abs(fused[i])), "logit " + i);
        }
    }

    private static List<GenerationResult> generateAll(Engine engine, int maxBatch, GenerationOptions[] options)
            throws Exception {
        int[][] prompts = prompts();
        try (BatchGenerator generator = new BatchGenerator(engine, maxBatch)) {
            List<CompletableFuture<GenerationResult>> futures = new ArrayList<>();
            for (int i = 0; i < prompts.length; i++) futures.add(generator.submit(prompts[i], options[i], true));
            List<GenerationResult> results = new ArrayList<>();
            for (CompletableFuture<GenerationResult> f : futures) results.add(f.get());
            return results;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gguf/stories260K.gguf", "synthetic/tiny-gpt-oss-mxfp4.gguf"})
    void generatedTokensDoNotDependOnTheBatchSize(String file) throws Exception {
        try (Engine engine = Engine.load(Reference.model(file), 2)) {
            GenerationOptions[] options = new GenerationOptions[8];
            for (int i = 0; i < options.length; i++) {
                // Different budgets make sequences leave at different steps; odd ones sample with their own seed.
                SamplingParameters sampling = i % 2 == 0 ? SamplingParameters.greedy() : SamplingParameters.defaults(1000 + i);
                options[i] = new GenerationOptions(6 + 3 * i, sampling);
            }
            List<GenerationResult> one = generateAll(engine, 1, options);
            List<GenerationResult> four = generateAll(engine, 4, options);
            List<GenerationResult> eight = generateAll(engine, 8, options);
            for (int i = 0; i < one.size(); i++) {
                assertTrue(one.get(i).generatedIds().length > 0, "sequence " + i + " generated nothing");
                assertArrayEquals(one.get(i).generatedIds(), four.get(i).generatedIds(), "sequence " + i + ", batch 4");
                assertArrayEquals(one.get(i).generatedIds(), eight.get(i).generatedIds(), "sequence " + i + ", batch 8");
                assertEquals(one.get(i).text(), eight.get(i).text());
                assertEquals(one.get(i).stopReason(), eight.get(i).stopReason());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gguf/stories260K-q8_0.gguf", "gguf/stories260K.gguf", "synthetic/tiny-gpt-oss-mxfp4.gguf"})
    void batchedGenerationGivesTheSameTokensAsTheEnginesOwnGenerationLoop(String file) throws Exception {
        try (Engine engine = Engine.load(Reference.model(file), 2);
             BatchGenerator generator = new BatchGenerator(engine, 8)) {
            int[][] prompts = prompts();
            List<CompletableFuture<GenerationResult>> batched = new ArrayList<>();
            for (int[] p : prompts) batched.add(generator.submit(p, GenerationOptions.greedy(12), false));
            for (int i = 0; i < prompts.length; i++) {
                GenerationResult alone = engine.generate(engine.newSession(prompts[i].length + 12), prompts[i],
                        GenerationOptions.greedy(12), (id, piece) -> {});
                assertArrayEquals(alone.generatedIds(), batched.get(i).get().generatedIds(), "prompt " + i);
            }
        }
    }

    @Test
    void aPromptLongerThanTheContextFailsOnlyItsOwnSequence() throws Exception {
        try (Engine engine = Engine.load(Reference.model("gguf/stories260K.gguf"), 1);
             BatchGenerator generator = new BatchGenerator(engine, 4)) {
            int[] tooLong = new int[engine.contextLength() + 5];
            Arrays.fill(tooLong, 300);
            CompletableFuture<GenerationResult> bad = generator.submit(tooLong, GenerationOptions.greedy(4), false);
            CompletableFuture<GenerationResult> good = generator.submit(prompts()[0], GenerationOptions.greedy(4), false);
            assertTrue(good.get().generatedIds().length > 0);
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, bad::get);
            assertTrue(e.getCause() instanceof dev.lectern.inference.model.ContextOverflowException, e.toString());
        }
    }

    @Test
    void restoringACheckpointScoresContinuationsAsAFreshSession() {
        DecoderModel model = Models.load(GgufFile.open(Reference.model("gguf/stories260K.gguf")));
        int[] prompt = prompts()[4];
        int[][] labels = {{300, 301}, {410}, {270, 280, 290}};
        Session shared = new Session(model, 64, Parallel.serial(), true);
        shared.prefill(prompt);
        Session.Checkpoint afterPrompt = shared.checkpoint();
        for (int[] label : labels) {
            shared.restore(afterPrompt);
            float[] reused = shared.logProbabilities(label);
            Session fresh = new Session(model, 64, Parallel.serial(), true);
            fresh.prefill(prompt);
            assertArrayEquals(fresh.logProbabilities(label), reused);
            assertEquals(prompt.length + label.length, shared.position());
        }
        assertTrue(Float.isFinite(shared.logProbabilities(new int[]{300})[0]), "scored after the restored logits");
    }
}
