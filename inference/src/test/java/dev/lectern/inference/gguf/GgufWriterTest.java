package dev.lectern.inference.gguf;

import dev.lectern.inference.tensor.GgmlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class GgufWriterTest {

    @TempDir
    Path tmp;

    @Test
    void roundTripsEveryValueTypeAndTensorType() throws IOException {
        Random rnd = new Random(3);
        byte[] q8 = new byte[2 * 3 * 34];
        rnd.nextBytes(q8);
        byte[] mx = new byte[4 * 17];
        rnd.nextBytes(mx);
        GgufWriter w = new GgufWriter().alignment(64)
                .putString("general.architecture", "llama")
                .putString("unicode", "Grüße, 世界 👋")
                .putBool("flag", true)
                .putUInt8("u8", 255).putInt8("i8", -128)
                .putUInt16("u16", 65535).putInt16("i16", -32768)
                .putUInt32("u32", 4_000_000_000L).putInt32("i32", -7)
                .putUInt64("u64", -1L).putInt64("i64", Long.MIN_VALUE)
                .putFloat32("f32", 1.5e-6f).putFloat64("f64", Math.PI)
                .putStringArray("strings", "a", "", "ç")
                .putInt32Array("ints", 1, -2, 3)
                .putFloat32Array("floats", 0.5f, -0.25f)
                .put("nested", GgufValue.array(GgufValueType.ARRAY, new GgufValue[] {
                        GgufValue.array(GgufValueType.UINT8, new long[] {1, 2}),
                        GgufValue.array(GgufValueType.BOOL, new boolean[] {true, false})}))
                .put("doubles", GgufValue.array(GgufValueType.FLOAT64, new double[] {1e300}))
                .addTensor("f32", new long[] {3, 2}, new float[] {1, 2, 3, 4, 5, 6})
                .addTensor("q8", GgmlType.Q8_0, new long[] {64, 3}, MemorySegment.ofArray(q8))
                .addTensor("mx", GgmlType.MXFP4, new long[] {32, 2, 2}, out -> out.write(ByteBuffer.wrap(mx)));
        Path p = tmp.resolve("round.gguf");
        w.write(p);

        GgufFile f = GgufFile.open(p);
        GgufMetadata m = f.metadata();
        assertEquals(64, f.alignment());
        assertEquals(0, f.dataOffset() % 64);
        assertEquals("Grüße, 世界 👋", m.getString("unicode"));
        assertTrue(m.getBoolean("flag"));
        assertEquals(255, m.getInt("u8"));
        assertEquals(-128, m.getInt("i8"));
        assertEquals(65535, m.getInt("u16"));
        assertEquals(-32768, m.getInt("i16"));
        assertEquals(4_000_000_000L, m.getLong("u32"));
        assertEquals(-7, m.getInt("i32"));
        assertThrows(GgufFormatException.class, () -> m.getLong("u64"));
        assertEquals(-1L, (Long) m.get("u64").value());
        assertEquals(GgufValueType.UINT64, m.get("u64").type());
        assertEquals(Long.MIN_VALUE, m.getLong("i64"));
        assertEquals(1.5e-6f, m.getFloat("f32"));
        assertEquals(Math.PI, (Double) m.get("f64").value());
        assertArrayEquals(new String[] {"a", "", "ç"}, m.getStringArray("strings"));
        assertArrayEquals(new int[] {1, -2, 3}, m.getIntArray("ints"));
        assertArrayEquals(new float[] {0.5f, -0.25f}, m.getFloatArray("floats"));
        GgufValue[] nested = (GgufValue[]) m.get("nested").value();
        assertArrayEquals(new long[] {1, 2}, (long[]) nested[0].value());
        assertArrayEquals(new boolean[] {true, false}, (boolean[]) nested[1].value());
        assertEquals(1e300, ((double[]) m.get("doubles").value())[0]);

        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, f.tensor("f32").toFloatArray());
        assertArrayEquals(q8, f.tensor("q8").data().toArray(ValueLayout.JAVA_BYTE));
        GgufTensor mxT = f.tensor("mx");
        assertEquals(GgmlType.MXFP4, mxT.type());
        assertArrayEquals(mx, mxT.data().toArray(ValueLayout.JAVA_BYTE));
        // matrix(i) of a 3-D tensor [cols, rows, n] is the i-th [rows x cols] slab (e.g. one expert)
        float[] all = mxT.toFloatArray();
        float[] row = new float[32];
        var expert1 = mxT.matrix(1);
        assertEquals(2, expert1.rows());
        assertEquals(32, expert1.cols());
        expert1.dequantizeRow(1, row, 0);
        assertArrayEquals(java.util.Arrays.copyOfRange(all, 3 * 32, 4 * 32), row);
        assertThrows(GgufFormatException.class, () -> mxT.matrix(2));
        assertThrows(GgufFormatException.class, () -> f.tensor("q8").matrix(0));
        for (GgufTensor t : f.tensors()) assertEquals(0, t.offset() % 64, t.name());
    }

    @Test
    void streamsGeneratedRowsThroughTheQuantizer() throws IOException {
        float[] all = new float[64 * 5];
        Random rnd = new Random(9);
        for (int i = 0; i < all.length; i++) all[i] = (float) rnd.nextGaussian();
        Path p = tmp.resolve("rows.gguf");
        new GgufWriter()
                .addTensor("w", GgmlType.Q8_0, new long[] {64, 5}, (r, row) -> System.arraycopy(all, (int) r * 64, row, 0, 64))
                .write(p);
        GgufTensor t = GgufFile.open(p).tensor("w");
        assertArrayEquals(dev.lectern.inference.tensor.Quantizer.quantize(GgmlType.Q8_0, all).toArray(ValueLayout.JAVA_BYTE),
                t.data().toArray(ValueLayout.JAVA_BYTE));
        assertThrows(IllegalArgumentException.class, () -> new GgufWriter().addTensor("k", GgmlType.Q4_K, new long[] {256}, (r, row) -> {}));
    }

    @Test
    void rejectsInconsistentTensors() {
        GgufWriter w = new GgufWriter();
        assertThrows(IllegalArgumentException.class,
                () -> w.addTensor("bad", GgmlType.Q8_0, new long[] {33, 1}, MemorySegment.ofArray(new byte[34])));
        assertThrows(IllegalArgumentException.class,
                () -> w.addTensor("short", GgmlType.F32, new long[] {4}, MemorySegment.ofArray(new byte[15])));
        w.addTensor("a", new long[] {1}, new float[] {1});
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("a", new long[] {1}, new float[] {1}));
    }

    @Test
    void streamingSourceMustWriteExactlyTheTensorSize() {
        GgufWriter w = new GgufWriter().addTensor("t", GgmlType.F32, new long[] {4}, out -> out.write(ByteBuffer.allocate(8)));
        IOException e = assertThrows(IOException.class, () -> w.write(tmp.resolve("x.gguf")));
        assertTrue(e.getMessage().contains("tensor 't'"), e.getMessage());
    }
}
