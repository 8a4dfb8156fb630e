package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

import static dev.lectern.inference.tensor.Vectors.F;

/**
 * Q4_0: blocks of 32 values in 18 bytes: a half-precision scale {@code d}, then 16 bytes of 4-bit codes. Byte
 * {@code j} holds value {@code j} in its low nibble and value {@code j + 16} in its high nibble; a value is
 * {@code (nibble - 8) * d}.
 */
final class Q4_0Matrix extends Matrix {

    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 18;

    Q4_0Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q4_0, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int o = dstOff; o < dstOff + cols; o += BLOCK, block += BLOCK_BYTES) {
            float d = f16(block);
            for (int c = 0; c < 16; c += Vectors.CHUNK) {
                ByteVector q = Vectors.load(data, block + 2 + c);
                Vectors.store(q.and((byte) 0xF).sub((byte) 8), d, dst, o + c);
                Vectors.store(q.lanewise(VectorOperators.LSHR, 4).sub((byte) 8), d, dst, o + 16 + c);
            }
        }
    }

    private static final VectorSpecies<Integer> I = F.withLanes(int.class);

    /**
     * As Q8_0: {@code Σ q·x} per block in a vector, scaled by {@code d} into even/odd block accumulators. The nibbles
     * are split in 32-bit lanes (codes widened once, then mask / shift / subtract on ints, converted to floats):
     * x86 has no byte-lane shift, so splitting them in bytes costs a widen-shift-narrow sequence per chunk, and
     * the byte codes must be widened for the float conversion anyway. Same values, same FMA order as before.
     */
    @Override
    public float dot(int row, float[] x, int xOff) {
        long block = row * rowBytes;
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        int nb = cols / BLOCK, step = F.length();
        for (int b = 0; b < nb; b++, block += BLOCK_BYTES) {
            int o = xOff + b * BLOCK;
            FloatVector s = FloatVector.zero(F);
            for (int c = 0; c < 16; c += Vectors.CHUNK) {
                ByteVector q = Vectors.load(data, block + 2 + c);
                for (int p = 0; p < Vectors.PARTS; p++) {
                    IntVector v = (IntVector) q.convertShape(VectorOperators.B2I, I, p);
                    s = v.and(0xF).sub(8).convert(VectorOperators.I2F, 0).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, o + c + p * step), s);
                }
                for (int p = 0; p < Vectors.PARTS; p++) {
                    IntVector v = (IntVector) q.convertShape(VectorOperators.B2I, I, p);
                    s = v.lanewise(VectorOperators.ASHR, 4).and(0xF).sub(8).convert(VectorOperators.I2F, 0).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, o + 16 + c + p * step), s);
                }
            }
            FloatVector d = FloatVector.broadcast(F, Vectors.f16(data, block));
            if ((b & 1) == 0) acc0 = s.fma(d, acc0);
            else acc1 = s.fma(d, acc1);
        }
        return Vectors.sum(acc0.add(acc1));
    }

    /**
     * ggml's reference quantization ({@code quantize_row_q4_0_ref}): the value of largest magnitude maps to code 0,
     * {@code d = max / -8}, codes are {@code min(15, trunc(x / d + 8.5))}.
     */
    static void quantize(float[] src, int off, int n, MemorySegment dst, long dstOff) {
        for (int b = 0; b < n / BLOCK; b++, dstOff += BLOCK_BYTES) {
            int o = off + b * BLOCK;
            float amax = 0, max = 0;
            for (int i = 0; i < BLOCK; i++) {
                if (amax < Math.abs(src[o + i])) {
                    amax = Math.abs(src[o + i]);
                    max = src[o + i];
                }
            }
            float d = max / -8;
            float id = d != 0 ? 1 / d : 0;
            dst.set(LE_SHORT, dstOff, Float.floatToFloat16(d));
            for (int j = 0; j < 16; j++) {
                int lo = Math.min(15, (int) (src[o + j] * id + 8.5f));
                int hi = Math.min(15, (int) (src[o + 16 + j] * id + 8.5f));
                dst.set(BYTE, dstOff + 2 + j, (byte) (lo | (hi << 4)));
            }
        }
    }
}
