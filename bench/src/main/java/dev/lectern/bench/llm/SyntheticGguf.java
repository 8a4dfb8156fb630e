package dev.lectern.bench.llm;

import dev.lectern.bench.Log;
import dev.lectern.inference.gguf.GgufWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes a random-weight GGUF file of a {@link ModelShape} with the project's own {@link GgufWriter}, tensors
 * named and shaped as llama.cpp's converter does. Files are kept in the bench directory and reused: the file name
 * encodes every shape parameter and the generator version, so a stale file is never picked up.
 */
public final class SyntheticGguf {
    /** Bump when the content written for a given shape changes. */
    static final int GENERATOR_VERSION = 1;

    private SyntheticGguf() {}

    /** The file for {@code shape} in {@code dir}, written first if absent. */
    public static Path ensure(Path dir, ModelShape shape) throws IOException {
        Path file = dir.resolve(shape.fileName());
        if (Files.exists(file)) return file;
        Files.createDirectories(dir);
        long start = System.nanoTime();
        writer(shape).write(file);
        Log.info("wrote %s (%.2f GB) in %.1f s", file, Files.size(file) / 1e9, (System.nanoTime() - start) / 1e9);
        return file;
    }

    static GgufWriter writer(ModelShape s) {
        String a = s.arch() + ".";
        GgufWriter w = new GgufWriter()
                .putString("general.architecture", s.arch())
                .putString("general.name", s.name() + " random weights (lectern bench)")
                .putUInt32(a + "context_length", 8192)
                .putUInt32(a + "embedding_length", s.embd())
                .putUInt32(a + "block_count", s.layers())
                .putUInt32(a + "feed_forward_length", s.ff())
                .putUInt32(a + "attention.head_count", s.heads())
                .putUInt32(a + "attention.head_count_kv", s.kvHeads())
                .putUInt32(a + "attention.key_length", s.headDim())
                .putUInt32(a + "attention.value_length", s.headDim())
                .putUInt32(a + "rope.dimension_count", s.headDim())
                .putFloat32(a + "rope.freq_base", s.ropeBase())
                .putFloat32(a + "attention.layer_norm_rms_epsilon", s.rmsEps())
                .putUInt32(a + "vocab_size", s.vocab());
        SplittableRandom seeds = new SplittableRandom(s.fileName().hashCode());
        w.addTensor("token_embd.weight", s.type(), dims(s.embd(), s.vocab()), blocks(s, s.vocab(), s.embd(), seeds));
        w.addTensor("output_norm.weight", dims(s.embd()), ones(s.embd()));
        if (s.ropeFreqs()) w.addTensor("rope_freqs.weight", dims(s.headDim() / 2), ones(s.headDim() / 2));
        int q = s.heads() * s.headDim();
        int kv = s.kvHeads() * s.headDim();
        for (int l = 0; l < s.layers(); l++) {
            String p = "blk." + l + ".";
            w.addTensor(p + "attn_norm.weight", dims(s.embd()), ones(s.embd()));
            w.addTensor(p + "attn_q.weight", s.type(), dims(s.embd(), q), blocks(s, q, s.embd(), seeds));
            w.addTensor(p + "attn_k.weight", s.type(), dims(s.embd(), kv), blocks(s, kv, s.embd(), seeds));
            w.addTensor(p + "attn_v.weight", s.type(), dims(s.embd(), kv), blocks(s, kv, s.embd(), seeds));
            if (s.qkvBias()) {
                w.addTensor(p + "attn_q.bias", dims(q), small(q, seeds.nextLong()));
                w.addTensor(p + "attn_k.bias", dims(kv), small(kv, seeds.nextLong()));
                w.addTensor(p + "attn_v.bias", dims(kv), small(kv, seeds.nextLong()));
            }
            w.addTensor(p + "attn_output.weight", s.type(), dims(q, s.embd()), blocks(s, s.embd(), q, seeds));
            w.addTensor(p + "ffn_norm.weight", dims(s.embd()), ones(s.embd()));
            w.addTensor(p + "ffn_gate.weight", s.type(), dims(s.embd(), s.ff()), blocks(s, s.ff(), s.embd(), seeds));
            w.addTensor(p + "ffn_up.weight", s.type(), dims(s.embd(), s.ff()), blocks(s, s.ff(), s.embd(), seeds));
            w.addTensor(p + "ffn_down.weight", s.type(), dims(s.ff(), s.embd()), blocks(s, s.embd(), s.ff(), seeds));
        }
        return w;
    }

    private static RandomBlocks blocks(ModelShape s, long rows, long cols, SplittableRandom seeds) {
        return new RandomBlocks(s.type(), rows, cols, seeds.nextLong());
    }

    private static long[] dims(long... d) {
        return d;
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        Arrays.fill(v, 1f);
        return v;
    }

    private static float[] small(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() - 0.5) * 0.1f;
        return v;
    }
}
