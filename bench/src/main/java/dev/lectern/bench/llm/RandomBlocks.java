package dev.lectern.bench.llm;

import dev.lectern.inference.gguf.GgufWriter;
import dev.lectern.inference.tensor.GgmlType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Streams a quantized weight matrix of random blocks into a GGUF file without ever quantizing a float: the quant
 * payload is random bytes, and each block's scale is set so that a row's dot product with a unit-RMS activation
 * has about unit size (|scale| ≈ 1 / (payload std × √cols), jittered ±25 % per block). Values stay finite and
 * modest through every layer, which is all a speed measurement needs.
 */
public final class RandomBlocks implements GgufWriter.TensorSource {
    /** Blocks per chunk written at once (about 1 MB for Q8_0). */
    private static final int CHUNK_BLOCKS = 32768;

    private final GgmlType type;
    private final long blocks;
    private final float scale;
    private final long seed;

    public RandomBlocks(GgmlType type, long rows, long cols, long seed) {
        if (cols % type.blockSize() != 0) throw new IllegalArgumentException(cols + " is not a multiple of the " + type + " block");
        this.type = type;
        this.blocks = rows * cols / type.blockSize();
        this.scale = (float) (1.0 / (payloadStd(type) * Math.sqrt(cols)));
        this.seed = seed;
    }

    /** Standard deviation of a block's decoded values when the scale is 1 and the payload bytes are uniform. */
    private static double payloadStd(GgmlType type) {
        return switch (type) {
            case Q8_0 -> 73.9;   // int8 uniform on [-128, 127]
            case Q4_0 -> 4.6;    // nibble - 8 uniform on [-8, 7]
            case MXFP4 -> 2.9;   // E2M1 codes uniform over ±{0, .5, 1, 1.5, 2, 3, 4, 6}
            default -> throw new IllegalArgumentException("no random-block generator for " + type);
        };
    }

    @Override
    public void writeTo(java.nio.channels.WritableByteChannel out) throws java.io.IOException {
        int blockBytes = (int) type.byteSize(type.blockSize());
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BLOCKS * blockBytes).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom random = new SplittableRandom(seed);
        long left = blocks;
        while (left > 0) {
            int n = (int) Math.min(CHUNK_BLOCKS, left);
            int bytes = n * blockBytes;
            chunk.clear();
            int i = 0;
            for (; i + 8 <= bytes; i += 8) chunk.putLong(i, random.nextLong());
            for (; i < bytes; i++) chunk.put(i, (byte) random.nextInt());
            for (int b = 0; b < n; b++) setScale(chunk, b * blockBytes, scale * (0.75f + 0.5f * (float) random.nextDouble()));
            chunk.position(0).limit(bytes);
            while (chunk.hasRemaining()) out.write(chunk);
            left -= n;
        }
    }

    private void setScale(ByteBuffer chunk, int at, float s) {
        switch (type) {
            case Q8_0, Q4_0 -> chunk.putShort(at, Float.floatToFloat16(s));
            // E8M0: a power of two 2^(e - 127)
            case MXFP4 -> chunk.put(at, (byte) (127 + Math.round(Math.log(s) / Math.log(2))));
            default -> throw new IllegalStateException(type.toString());
        }
    }
}
