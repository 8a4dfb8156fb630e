package dev.lectern.bench.llamacpp;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.CacheType;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * llama.cpp itself, run in this JVM through java-llama.cpp's JNI binding ({@code de.kherud:llama}), which bundles a
 * prebuilt llama.cpp (build b4916, commit c6af2161; on Linux x86-64 an AVX2/FMA/F16C build with OpenMP, no
 * AVX-512) wrapped in llama.cpp's server loop: one slot, F32 K and V cache (as our engine), prompt caching off so
 * every request prefills from an empty cache, greedy sampling, EOS ignored.
 *
 * <p>The binding returns text only, not llama.cpp's timings, and its log callback is replaced by llama.cpp's own
 * logger when a model loads, so timings are taken around the calls (its logs are switched off). Checked once
 * against the server's own "prompt eval time" / "eval time" lines: within 2 % (the JNI and JSON overhead is well
 * under a millisecond, against 0.1–10 s per call).
 */
final class LlamaCpp implements AutoCloseable {
    private static final Field PARAMETERS = parametersField();

    private final LlamaModel model;

    private LlamaCpp(LlamaModel model) {
        this.model = model;
    }

    /** Loads {@code gguf} (it must carry a tokenizer) with {@code threads} threads for prefill and decode. */
    static LlamaCpp open(Path gguf, int threads, int contextLength) {
        ModelParameters params = new ModelParameters()
                .setModel(gguf.toString())
                .setThreads(threads)
                .setThreadsBatch(threads)
                .setCtxSize(contextLength)
                .setParallel(1)
                .setCacheTypeK(CacheType.F32)
                .setCacheTypeV(CacheType.F32)
                .setLogVerbosity(-1);
        // The binding's loader prints where it extracted the native library to stdout, where our report goes.
        PrintStream out = System.out;
        synchronized (LlamaCpp.class) {
            System.setOut(System.err);
            try {
                return new LlamaCpp(new LlamaModel(params));
            } finally {
                System.setOut(out);
            }
        }
    }

    /** One timed prefill of {@code prompt} into an empty cache (with the sampling of one token): tokens/s. */
    double prefill(int[] prompt) {
        long start = System.nanoTime();
        complete(prompt, 1);
        return prompt.length / seconds(start);
    }

    /**
     * Decode tokens/s of {@code steps} steps after a one-token prompt: a request generating {@code steps + 1}
     * tokens less one generating 1 (the one-token prefill and first sample), each from an empty cache.
     */
    double decode(int firstToken, int steps) {
        int[] prompt = {firstToken};
        long start = System.nanoTime();
        complete(prompt, 1);
        double one = seconds(start);
        start = System.nanoTime();
        complete(prompt, steps + 1);
        double all = seconds(start);
        return steps / (all - one);
    }

    /** The text of {@code tokens} greedy tokens after {@code prompt}. */
    String greedy(int[] prompt, int tokens) {
        return complete(prompt, tokens);
    }

    private String complete(int[] prompt, int newTokens) {
        InferenceParameters request = new InferenceParameters("")
                .setNPredict(newTokens)
                .setCachePrompt(false)
                .setTemperature(0f)
                .setIgnoreEos(true);
        // The binding's setPrompt takes text; llama.cpp's server also takes a JSON array of token ids, used as they
        // are (no BOS added), which makes the prompt exactly the same tokens our engine gets.
        parameters(request).put("prompt", Arrays.toString(prompt));
        return model.complete(request);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> parameters(InferenceParameters request) {
        try {
            return (Map<String, String>) PARAMETERS.get(request);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field parametersField() {
        try {
            Field f = Class.forName("de.kherud.llama.JsonParameters").getDeclaredField("parameters");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("java-llama.cpp changed: no JsonParameters.parameters map", e);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @Override
    public void close() {
        model.close();
    }
}
