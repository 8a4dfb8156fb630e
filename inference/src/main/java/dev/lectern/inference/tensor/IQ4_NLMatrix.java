package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/**
 * IQ4_NL: blocks of 32 values in 18 bytes, laid out like Q4_0 (half-precision scale {@code d}, 16 bytes of
 * nibbles, value {@code j} low and {@code j + 16} high), but a nibble indexes a fixed non-linear table of 16
 * levels (denser near zero, matching the bell shape of weights): a value is {@code LEVELS[nibble] * d}.
 */
final class IQ4_NLMatrix extends Matrix {

    /** ggml's {@code kvalues_iq4nl}; shared with IQ4_XS. */
    static final byte[] LEVELS = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

    IQ4_NLMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.IQ4_NL, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.IQ4_NL;
    }

    static final Vectors.Table16 TABLE = Vectors.Table16.of(LEVELS);

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int o = dstOff; o < dstOff + cols; o += 32, block += 18) {
            float d = f16(block);
            for (int c = 0; c < 16; c += Vectors.CHUNK) {
                ByteVector q = Vectors.load(data, block + 2 + c);
                Vectors.store(Vectors.lookup(q.and((byte) 0xF), TABLE), d, dst, o + c);
                Vectors.store(Vectors.lookup(q.lanewise(VectorOperators.LSHR, 4), TABLE), d, dst, o + 16 + c);
            }
        }
    }

    /** Levels by table lookup; {@code Σ level·x} per block is scaled by {@code d} into even/odd accumulators. */
    @Override
    public float dot(int row, float[] x, int xOff) {
        long block = row * rowBytes;
        FloatVector acc0 = FloatVector.zero(Vectors.F), acc1 = FloatVector.zero(Vectors.F);
        int nb = cols / 32;
        for (int b = 0; b < nb; b++, block += 18) {
            int o = xOff + b * 32;
            FloatVector s = FloatVector.zero(Vectors.F);
            for (int c = 0; c < 16; c += Vectors.CHUNK) {
                ByteVector q = Vectors.load(data, block + 2 + c);
                s = Vectors.fma(Vectors.lookup(q.and((byte) 0xF), TABLE), x, o + c, s);
                s = Vectors.fma(Vectors.lookup(q.lanewise(VectorOperators.LSHR, 4), TABLE), x, o + 16 + c, s);
            }
            FloatVector d = FloatVector.broadcast(Vectors.F, f16(block));
            if ((b & 1) == 0) acc0 = s.fma(d, acc0);
            else acc1 = s.fma(d, acc1);
        }
        return Vectors.sum(acc0.add(acc1));
    }
}
