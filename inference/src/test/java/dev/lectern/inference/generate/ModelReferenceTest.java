package dev.lectern.inference.generate;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.model.DecoderModel;
import dev.lectern.inference.model.Models;
import dev.lectern.inference.tensor.Parallel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forward passes against llama.cpp's outputs for the fixture models (shared/reference, see its README). The
 * prompt ids come from the references, so these tests do not depend on the tokenizer. Each run is teacher-forced
 * with the reference's ids, so one near-tie does not derail the comparison of later steps; the argmax is still
 * checked at every step.
 */
class ModelReferenceTest {
    static final List<String> PROMPTS = List.of("bos", "once_upon_a_time", "the_little_girl");

    static ReferenceRun run(String modelFile, String reference, String prompt) {
        DecoderModel model = Models.load(GgufFile.open(Reference.model(modelFile)));
        return new ReferenceRun(model, Reference.load(reference, prompt), Parallel.serial());
    }

    static Stream<Arguments> f32Models() {
        return Stream.of(
                        new String[] {"gguf/stories260K.gguf", "stories260K"},
                        new String[] {"synthetic/tiny-llama3-f32.gguf", "tiny-llama3-f32"},
                        new String[] {"synthetic/tiny-qwen2-f32.gguf", "tiny-qwen2-f32"},
                        new String[] {"synthetic/tiny-qwen3-f32.gguf", "tiny-qwen3-f32"},
                        new String[] {"synthetic/tiny-gpt-oss-f32.gguf", "tiny-gpt-oss-f32"})
                .flatMap(m -> PROMPTS.stream().map(p -> Arguments.of(m[0], m[1], p)));
    }

    /**
     * All-F32 models: llama.cpp and this engine differ only in summation order. Step-0 logits within 1e-4
     * relative (|Δ| ≤ 1e-4·max(1, |ref|)), the top-5 logits of every step within 1e-4, and the same greedy id at
     * every step (64 for stories260K, 32 for the synthetic models). tiny-gpt-oss covers the
     * mixture of experts, attention sinks, YaRN and a 4-token sliding window that the 32 steps run far past.
     */
    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("f32Models")
    void f32ModelsMatchLlamaCpp(String modelFile, String reference, String prompt) {
        ReferenceRun r = run(modelFile, reference, prompt);
        assertTrue(r.maxRelativeErrorStep0() <= 1e-4, r.summary());
        assertTrue(r.maxAbsErrorTop() <= 1e-4, r.summary());
        assertArrayEquals(r.ref.ids(), r.argmax, r.summary());
    }

    static Stream<String> prompts() {
        return PROMPTS.stream();
    }

    /**
     * Q8_0 weights with F32 activations: ggml also rounds the activations to Q8_0, which moves stories260K's logits
     * by up to ~0.28 against F32 (compare the F32 and Q8_0 references). The greedy ids must still agree at all 64
     * steps; logits within 0.25·max(1, |ref|).
     */
    @ParameterizedTest(name = "stories260K-q8_0 {0}")
    @MethodSource("prompts")
    void q8_0GreedyIdsMatchForAll64Steps(String prompt) {
        ReferenceRun r = run("gguf/stories260K-q8_0.gguf", "stories260K-q8_0", prompt);
        assertEquals(64, r.argmax.length);
        assertArrayEquals(r.ref.ids(), r.argmax, r.summary());
        assertTrue(r.maxRelativeErrorStep0() <= 0.25, r.summary());
        assertTrue(r.maxAbsErrorTop() <= 0.25, r.summary());
    }

    /**
     * Q4_0 weights (output Q8_0, ffn_down F16): logits within 0.25·max(1, |ref|) at step 0 and 0.25 on the top-5 of
     * every step (seen: 0.13–0.16 and 0.15–0.19), and the greedy ids identical at all 64 steps. llama.cpp's run has
     * near-ties (a 0.007 top-1/top-2 margin at step 2 of "The little girl") that activation rounding decides; the
     * decode steps round Q4_0's activations to 8 bits per block as ggml does ({@code QuantizedActivations}), and
     * since then the ids agree.
     */
    @ParameterizedTest(name = "stories260K-q4_0 {0}")
    @MethodSource("prompts")
    void q4_0LogitsWithinToleranceAndGreedyIdsMatch(String prompt) {
        ReferenceRun r = run("gguf/stories260K-q4_0.gguf", "stories260K-q4_0", prompt);
        assertTrue(r.maxRelativeErrorStep0() <= 0.25, r.summary());
        assertTrue(r.maxAbsErrorTop() <= 0.25, r.summary());
        assertEquals(64, r.argmax.length);
        assertArrayEquals(r.ref.ids(), r.argmax, r.summary());
    }

    /**
     * llama-2-tiny-random: F16 weights, the full 32000-token Llama 2 vocabulary, against the reference computed
     * with the weights upcast to F32 (this engine's arithmetic). Top-1/top-2 margins are ~0.01 here, so the
     * logits are held to 1e-4 and the ids must agree at all 64 steps.
     */
    @ParameterizedTest(name = "llama-2-tiny-random {0}")
    @MethodSource("prompts")
    void f16ModelMatchesF32ComputeReference(String prompt) {
        ReferenceRun r = run("gguf/llama-2-tiny-random.gguf", "llama-2-tiny-random.f32-compute", prompt);
        assertEquals(32000, r.fullLogits0.length);
        assertTrue(r.maxAbsErrorTop() <= 1e-4, r.summary());
        assertArrayEquals(r.ref.ids(), r.argmax, r.summary());
    }

    /**
     * tiny-gpt-oss-mxfp4: MXFP4 experts, Q8_0 attention/embedding/output. llama.cpp rounds the activations of all
     * these products to Q8_0; this engine keeps them F32. Weight quantization alone moves the logits by up to 1.9
     * against the F32 model; the activation rounding accounts for the remaining ≤ 0.08 (emulating it here brought
     * the gap down to ≤ 0.04). Held to 0.15 on step-0 logits (relative to max(1, |ref|)) and on the top-5 of every
     * step; the first greedy id must agree (later ids may part on near-ties, as the README warns).
     */
    @ParameterizedTest(name = "tiny-gpt-oss-mxfp4 {0}")
    @MethodSource("prompts")
    void mxfp4GptOssLogitsWithinTolerance(String prompt) {
        ReferenceRun r = run("synthetic/tiny-gpt-oss-mxfp4.gguf", "tiny-gpt-oss-mxfp4", prompt);
        assertTrue(r.maxRelativeErrorStep0() <= 0.15, r.summary());
        assertTrue(r.maxAbsErrorTop() <= 0.15, r.summary());
        assertEquals(r.ref.ids()[0], r.argmax[0], r.summary());
    }
}
