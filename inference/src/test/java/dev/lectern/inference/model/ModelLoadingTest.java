package dev.lectern.inference.model;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.gguf.GgufFormatException;
import dev.lectern.inference.gguf.GgufTensor;
import dev.lectern.inference.gguf.GgufWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model file with a missing or misshapen tensor fails at load time with the tensor's name. */
class ModelLoadingTest {
    static final Path SOURCE = Path.of("src/test/resources/shared/models/synthetic/tiny-llama3-f32.gguf");

    /** Copies the fixture, leaving out {@code drop} and replacing tensors in {@code replace} (name → dims). */
    static Path copy(Path dir, String name, String drop, Map<String, long[]> replace) throws IOException {
        GgufFile src = GgufFile.open(SOURCE);
        GgufWriter w = new GgufWriter();
        src.metadata().asMap().forEach(w::put);
        for (GgufTensor t : src.tensors()) {
            if (t.name().equals(drop)) continue;
            long[] dims = replace.get(t.name());
            if (dims == null) {
                w.addTensor(t.name(), t.type(), t.dims(), t.data());
            } else {
                long n = 1;
                for (long d : dims) n *= d;
                w.addTensor(t.name(), dims, new float[(int) n]);
            }
        }
        Path p = dir.resolve(name);
        w.write(p);
        return p;
    }

    @Test
    void theCopyItselfLoads(@TempDir Path dir) throws IOException {
        DecoderModel m = Models.load(GgufFile.open(copy(dir, "same.gguf", "", Map.of())));
        assertEquals(512, m.vocabSize());
    }

    @Test
    void missingTensorIsNamed(@TempDir Path dir) throws IOException {
        Path p = copy(dir, "missing.gguf", "blk.1.ffn_up.weight", Map.of());
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> Models.load(GgufFile.open(p)));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("blk.1.ffn_up.weight"), e.getMessage());
    }

    @Test
    void misshapenTensorIsNamedWithBothShapes(@TempDir Path dir) throws IOException {
        Path p = copy(dir, "shape.gguf", "", Map.of("blk.0.attn_k.weight", new long[] {64, 48}));
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> Models.load(GgufFile.open(p)));
        assertEquals(p + ": tensor 'blk.0.attn_k.weight': has shape [64, 48], expected [64, 32]", e.getMessage());
    }

    @Test
    void wrongRopeFreqsLengthIsNamed(@TempDir Path dir) throws IOException {
        Path p = copy(dir, "rope.gguf", "", Map.of("rope_freqs.weight", new long[] {5}));
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> Models.load(GgufFile.open(p)));
        assertEquals(p + ": tensor 'rope_freqs.weight': has shape [5], expected 8 values", e.getMessage());
    }
}
