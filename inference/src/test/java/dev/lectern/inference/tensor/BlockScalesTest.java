package dev.lectern.inference.tensor;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Block scales read out of staged Q8_0 and Q4_0 rows equal {@link Float#float16ToFloat} of each block's first two
 * bytes, bit for bit, for every half-precision value (zeros, subnormals, normals, infinities, NaNs with their
 * payloads) and for counts that leave a partial group of 16. Runs under every vector width the build tests (the
 * vector path at 512 bits, the scalar one below).
 */
class BlockScalesTest {

    @Test
    void everyHalfConvertsAsFloat16ToFloatDoes() {
        for (int blockBytes : new int[] {34, 18}) {
            BlockScales scales = blockBytes == 34 ? BlockScales.Q8_0 : BlockScales.Q4_0;
            int count = 65536 + 7;
            byte[] bytes = new byte[count * blockBytes];
            new SplittableRandom(blockBytes).nextBytes(bytes);
            for (int i = 0; i < count; i++) {
                int half = i % 65536;
                bytes[i * blockBytes] = (byte) half;
                bytes[i * blockBytes + 1] = (byte) (half >>> 8);
            }
            float[] out = new float[count];
            scales.convert(bytes, count, out);
            for (int i = 0; i < count; i++) {
                short half = (short) (i % 65536);
                assertEquals(Float.floatToRawIntBits(Float.float16ToFloat(half)), Float.floatToRawIntBits(out[i]),
                        "block size " + blockBytes + ", half 0x" + Integer.toHexString(half & 0xFFFF));
            }
        }
    }

    @Test
    void readsOnlyTheBlocksItIsGiven() {
        // 16 blocks exactly: the last window's loads must end inside the array.
        for (BlockScales scales : new BlockScales[] {BlockScales.Q8_0, BlockScales.Q4_0}) {
            int blockBytes = scales == BlockScales.Q8_0 ? 34 : 18;
            byte[] bytes = new byte[16 * blockBytes];
            for (int i = 0; i < 16; i++) bytes[i * blockBytes + 1] = 0x3C; // 1.0
            float[] out = new float[16];
            scales.convert(bytes, 16, out);
            for (float f : out) assertEquals(1.0f, f);
        }
    }
}
