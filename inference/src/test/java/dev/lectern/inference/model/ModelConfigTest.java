package dev.lectern.inference.model;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.gguf.GgufFormatException;
import dev.lectern.inference.gguf.GgufWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hyperparameters from GGUF metadata: the fixtures' values, llama.cpp's defaults, and errors naming the key. */
class ModelConfigTest {
    static final Path MODELS = Path.of("src/test/resources/shared/models");

    static ModelConfig of(String file) {
        GgufFile f = GgufFile.open(MODELS.resolve(file));
        return ModelConfig.read(f.path(), f.metadata());
    }

    @Test
    void readsTheFixtures() {
        ModelConfig llama3 = of("synthetic/tiny-llama3-f32.gguf");
        assertEquals("llama", llama3.architecture());
        assertEquals(64, llama3.embeddingLength());
        assertEquals(2, llama3.groupSize());
        assertEquals(16, llama3.keyLength());
        assertEquals(500000f, llama3.ropeFreqBase());
        assertEquals(1f, llama3.ropeFreqScale());

        ModelConfig qwen3 = of("synthetic/tiny-qwen3-f32.gguf");
        assertEquals(32, qwen3.keyLength(), "key_length, not n_embd / n_head");
        assertEquals(32, qwen3.ropeDimensionCount(), "rope dimensions default to the head size");
        assertEquals(1e-6f, qwen3.rmsNormEps(), 1e-12f);

        ModelConfig oss = of("synthetic/tiny-gpt-oss-f32.gguf");
        assertEquals("yarn", oss.ropeScaling());
        assertEquals(1f / 32, oss.ropeFreqScale());
        assertEquals(4096, oss.ropeOriginalContext());
        assertEquals(32f, oss.yarnBetaFast());
        assertEquals(4, oss.slidingWindow());
        assertEquals(2, oss.expertUsedCount());
        assertEquals(64, oss.expertFeedForwardLength());
    }

    private static int files;

    private static GgufFormatException failure(Path dir, Consumer<GgufWriter> keys) throws IOException {
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", "llama");
        w.putUInt32("llama.embedding_length", 64);
        w.putUInt32("llama.block_count", 2);
        w.putUInt32("llama.attention.head_count", 4);
        w.putUInt32("llama.context_length", 128);
        keys.accept(w);
        // A fresh name each time: GgufFile.open maps a path once per JVM.
        Path p = dir.resolve("m" + (++files) + ".gguf");
        w.write(p);
        GgufFile f = GgufFile.open(p);
        return assertThrows(GgufFormatException.class, () -> ModelConfig.read(f.path(), f.metadata()));
    }

    @Test
    void badValuesNameTheFileAndTheKey(@TempDir Path dir) throws IOException {
        GgufFormatException e = failure(dir, w -> w.putUInt32("llama.attention.head_count_kv", 3));
        assertTrue(e.getMessage().contains(".gguf: 'llama.attention.head_count' (4) must be a multiple of 'llama.attention.head_count_kv' (3)"),
                e.getMessage());

        e = failure(dir, w -> w.putUInt32("llama.rope.dimension_count", 17));
        assertTrue(e.getMessage().contains("'llama.rope.dimension_count' is 17, expected an even number no larger than the head size 16"),
                e.getMessage());

        e = failure(dir, w -> w.putString("llama.rope.scaling.type", "dynamic"));
        assertTrue(e.getMessage().contains("'llama.rope.scaling.type' is 'dynamic', expected none, linear or yarn"), e.getMessage());

        e = failure(dir, w -> w.putInt32("llama.feed_forward_length", 0).putUInt32("llama.attention.head_count", 0));
        assertTrue(e.getMessage().contains("'llama.attention.head_count' is 0, expected a positive integer"), e.getMessage());
    }

    @Test
    void missingKeyIsNamed(@TempDir Path dir) throws IOException {
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", "qwen2");
        w.putUInt32("qwen2.embedding_length", 64);
        Path p = dir.resolve("m.gguf");
        w.write(p);
        GgufFile f = GgufFile.open(p);
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> ModelConfig.read(f.path(), f.metadata()));
        assertTrue(e.getMessage().contains("qwen2.block_count"), e.getMessage());
    }
}
