package dev.lectern.inference.gguf;

import dev.lectern.inference.tensor.GgmlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class GgufReaderTest {

    private static final Path STORIES = TestModels.shared("models/gguf/stories260K.gguf");

    @TempDir
    Path tmp;

    @Test
    void readsEveryFixtureModel() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(TestModels.shared("models"))) {
            files = s.filter(p -> p.toString().endsWith(".gguf")).sorted().toList();
        }
        assertTrue(files.size() >= 17, "expected all fixture models, found " + files);
        for (Path p : files) {
            GgufFile f = GgufFile.open(p);
            assertEquals(3, f.version(), p.toString());
            assertEquals(32, f.alignment(), p.toString());
            assertTrue(f.metadata().contains("general.architecture"), p + " has general.architecture");
            for (GgufTensor t : f.tensors()) {
                assertEquals(t.type().byteSize(t.elementCount()), t.data().byteSize(), t.toString());
                assertTrue(f.dataOffset() + t.offset() + t.data().byteSize() <= Files.size(p));
            }
        }
    }

    @Test
    void stories260KMetadataAndTensors() {
        GgufFile f = GgufFile.open(STORIES);
        GgufMetadata m = f.metadata();
        assertEquals("llama", m.getString("general.architecture"));
        assertEquals(128, m.getInt("llama.context_length"));
        assertEquals(5, m.getInt("llama.block_count"));
        assertEquals(9.999999747378752e-06f, m.getFloat("llama.attention.layer_norm_rms_epsilon"));
        // uint32 0xFFFFFFFF fits a long but not an int
        assertEquals(4294967295L, m.getLong("tokenizer.ggml.padding_token_id"));
        assertThrows(GgufFormatException.class, () -> m.getInt("tokenizer.ggml.padding_token_id"));
        String[] tokens = m.getStringArray("tokenizer.ggml.tokens");
        assertEquals(512, tokens.length);
        assertArrayEquals(new String[] {"<unk>", "<s>", "</s>"}, java.util.Arrays.copyOf(tokens, 3));
        assertEquals(512, m.getFloatArray("tokenizer.ggml.scores").length);
        assertArrayEquals(new int[] {2, 3, 3}, java.util.Arrays.copyOf(m.getIntArray("tokenizer.ggml.token_type"), 3));
        assertEquals(48, f.tensors().size());

        GgufTensor emb = f.tensor("token_embd.weight");
        assertEquals(GgmlType.F32, emb.type());
        assertArrayEquals(new long[] {64, 512}, emb.dims());
        assertEquals(0, emb.offset());
        assertEquals(64 * 512 * 4, emb.data().byteSize());
        emb.requireShape(64, 512);
        assertEquals(172, f.tensor("blk.0.ffn_down.weight").dim(0));
        assertEquals(355840, f.tensor("blk.0.ffn_down.weight").offset());
        // output.weight is a copy of the embedding in this file
        assertArrayEquals(emb.toFloatArray(), f.tensor("output.weight").toFloatArray());
    }

    @Test
    void mapsEachFileOncePerJvm() throws IOException {
        Path link = tmp.resolve("link.gguf");
        Files.createSymbolicLink(link, STORIES);
        assertSame(GgufFile.open(STORIES), GgufFile.open(link));
    }

    @Test
    void typedGettersNameFileKeyAndExpectation() {
        GgufMetadata m = GgufFile.open(STORIES).metadata();
        var missing = assertThrows(GgufFormatException.class, () -> m.getInt("llama.no_such_key"));
        assertTrue(missing.getMessage().contains("stories260K.gguf"), missing.getMessage());
        assertTrue(missing.getMessage().contains("'llama.no_such_key'"), missing.getMessage());
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
        var wrong = assertThrows(GgufFormatException.class, () -> m.getInt("general.architecture"));
        assertTrue(wrong.getMessage().contains("has type string, expected an integer"), wrong.getMessage());
        var arr = assertThrows(GgufFormatException.class, () -> m.getStringArray("tokenizer.ggml.scores"));
        assertTrue(arr.getMessage().contains("array of float32, expected an array of string"), arr.getMessage());
        assertEquals(7, m.getInt("llama.no_such_key", 7));
        var tensor = assertThrows(GgufFormatException.class, () -> GgufFile.open(STORIES).tensor("nope.weight"));
        assertTrue(tensor.getMessage().contains("tensor 'nope.weight'"), tensor.getMessage());
        var shape = assertThrows(GgufFormatException.class, () -> GgufFile.open(STORIES).tensor("output_norm.weight").requireShape(32));
        assertTrue(shape.getMessage().contains("expected [32]"), shape.getMessage());
    }

    @Test
    void rejectsBadMagicAndVersion() throws IOException {
        byte[] bytes = Files.readAllBytes(STORIES);
        bytes[0] = 'X';
        assertFormatError(write("magic.gguf", bytes), "bad magic");
        bytes = Files.readAllBytes(STORIES);
        bytes[4] = 7;
        assertFormatError(write("version.gguf", bytes), "unsupported GGUF version 7");
        assertFormatError(write("empty.gguf", new byte[0]), "too short");
    }

    @Test
    void everyTruncationGivesAFormatError() throws IOException {
        byte[] bytes = Files.readAllBytes(STORIES);
        long dataOffset = GgufFile.open(STORIES).dataOffset();
        Random rnd = new Random(42);
        // Every cut inside the first 64 bytes, then cuts spread over the metadata, tensor infos and data.
        for (int i = 0; i < 120; i++) {
            int cut = i < 64 ? i : rnd.nextInt(bytes.length - 1);
            Path p = write("cut" + i + ".gguf", java.util.Arrays.copyOf(bytes, cut));
            GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(p), "cut at " + cut);
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
            if (cut > dataOffset) assertTrue(e.getMessage().contains("beyond the end of the file"), e.getMessage());
        }
    }

    @Test
    void tensorDataPastEndNamesTheTensor() throws IOException {
        byte[] bytes = Files.readAllBytes(STORIES);
        Path p = write("short-data.gguf", java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertFormatError(p, "tensor 'blk.4.ffn_norm.weight'");
    }

    @Test
    void absurdCountsAndUnknownTypesAreRejected() throws IOException {
        byte[] bytes = Files.readAllBytes(STORIES);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(16, Long.MAX_VALUE / 3); // metadata count
        assertFormatError(write("kv.gguf", bytes), "count of metadata entries");

        bytes = Files.readAllBytes(STORIES);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(8, 1L << 40); // tensor count
        assertFormatError(write("nt.gguf", bytes), "count of tensor infos");

        // first metadata entry: key length (8) + "tokenizer.ggml.tokens" (21) then the value type, array type, count
        bytes = Files.readAllBytes(STORIES);
        int valueType = 24 + 8 + 21;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(valueType, 99);
        assertFormatError(write("vt.gguf", bytes), "metadata key 'tokenizer.ggml.tokens': unknown metadata value type id 99");

        bytes = Files.readAllBytes(STORIES);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(valueType + 8, -5L); // array count
        assertFormatError(write("ac.gguf", bytes), "count of elements of string is 18446744073709551611");

        bytes = Files.readAllBytes(STORIES);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(valueType + 16, 1L << 50); // first string length
        assertFormatError(write("sl.gguf", bytes), "string length 1125899906842624");
    }

    @Test
    void unknownAndRemovedTensorTypesAreNamed() throws IOException {
        for (int id : new int[] {4, 31, 77}) {
            GgufWriter w = new GgufWriter();
            w.putString("general.architecture", "test");
            w.addTensor("t", GgmlType.F32, new long[] {4}, java.lang.foreign.MemorySegment.ofArray(new byte[16]));
            Path p = tmp.resolve("type" + id + ".gguf");
            w.write(p);
            byte[] bytes = Files.readAllBytes(p);
            // tensor info: ... u32 type then u64 offset (0) right before the padding
            int typePos = indexOfTensorType(bytes);
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(typePos, id);
            Files.write(p, bytes);
            String expected = id == 77 ? "unknown ggml type id 77" : "which ggml removed";
            assertFormatError(p, "tensor 't': has " + (id == 77 ? "" : "ggml type "));
            assertFormatError(p, expected);
        }
    }

    private static int indexOfTensorType(byte[] bytes) {
        // name "t" is stored as u64 1 followed by 't'; then n_dims=1, dim=4, type, offset
        for (int i = 0; i + 9 < bytes.length; i++) {
            if (bytes[i] == 1 && bytes[i + 8] == 't' && bytes[i + 9] == 1) return i + 9 + 4 + 8;
        }
        throw new AssertionError("tensor info not found");
    }

    @Test
    void randomCorruptionNeverEscapesAsAnotherException() throws IOException {
        byte[] original = Files.readAllBytes(STORIES);
        long headerEnd = GgufFile.open(STORIES).dataOffset();
        Random rnd = new Random(7);
        for (int i = 0; i < 150; i++) {
            byte[] bytes = original.clone();
            for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                bytes[rnd.nextInt((int) headerEnd)] = (byte) rnd.nextInt(256);
            }
            Path p = write("fuzz" + i + ".gguf", bytes);
            try {
                GgufFile f = GgufFile.open(p);
                assertNotNull(f.metadata());
            } catch (GgufFormatException e) {
                assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
            }
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static void assertFormatError(Path p, String fragment) {
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(p));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }
}
