package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/**
 * IQ4_XS: super-blocks of 256 values in 136 bytes: half-precision scale {@code d}; a 16-bit word {@code scales_h}
 * and 4 bytes {@code scales_l} holding a 6-bit scale for each of the 8 sub-blocks of 32 (low 4 bits: nibble
 * {@code ib % 2} of {@code scales_l[ib / 2]}; high 2 bits: bits {@code 2ib, 2ib+1} of {@code scales_h}); then
 * 8 × 16 bytes of nibbles, each sub-block laid out like IQ4_NL. A value is
 * {@code d * (scale - 32) * LEVELS[nibble]} with IQ4_NL's levels.
 */
final class IQ4_XSMatrix extends Matrix {

    IQ4_XSMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.IQ4_XS, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.IQ4_XS;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long block = row * rowBytes;
        for (int o = dstOff; o < dstOff + cols; o += 256, block += 136) {
            float d = f16(block);
            int scalesH = Short.toUnsignedInt(data.get(LE_SHORT, block + 2));
            for (int ib = 0; ib < 8; ib++) {
                int ls = ((u8(block + 4 + ib / 2) >> (4 * (ib % 2))) & 0xF) | (((scalesH >> (2 * ib)) & 3) << 4);
                float dl = d * (ls - 32);
                long qs = block + 8 + 16L * ib;
                int oo = o + 32 * ib;
                for (int c = 0; c < 16; c += Vectors.CHUNK) {
                    ByteVector q = Vectors.load(data, qs + c);
                    Vectors.store(Vectors.lookup(q.and((byte) 0xF), IQ4_NLMatrix.TABLE), dl, dst, oo + c);
                    Vectors.store(Vectors.lookup(q.lanewise(VectorOperators.LSHR, 4), IQ4_NLMatrix.TABLE), dl, dst, oo + 16 + c);
                }
            }
        }
    }
}
