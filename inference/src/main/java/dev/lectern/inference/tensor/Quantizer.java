package dev.lectern.inference.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * Converts F32 values to a ggml type, as ggml's reference quantizers do (bit for bit for the types listed in
 * {@link #supportedTypes()}). Used to write test and benchmark models; inference never quantizes.
 */
public final class Quantizer {

    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Quantizer() {}

    public static Set<GgmlType> supportedTypes() {
        return Set.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.MXFP4);
    }

    /** {@code values.length} values (a whole number of blocks) of {@code type}, as a new heap segment. */
    public static MemorySegment quantize(GgmlType type, float[] values) {
        MemorySegment out = MemorySegment.ofArray(new byte[Math.toIntExact(type.byteSize(values.length))]);
        quantize(type, values, 0, values.length, out, 0);
        return out;
    }

    /** Writes {@code n} values from {@code src[off..]} as {@code type} at {@code dst[dstOff..]}. */
    public static void quantize(GgmlType type, float[] src, int off, int n, MemorySegment dst, long dstOff) {
        if (n % type.blockSize() != 0) throw new IllegalArgumentException(n + " values are not whole " + type + " blocks");
        switch (type) {
            case F32 -> {
                for (int i = 0; i < n; i++) dst.set(LE_FLOAT, dstOff + 4L * i, src[off + i]);
            }
            case F16 -> {
                for (int i = 0; i < n; i++) dst.set(LE_SHORT, dstOff + 2L * i, Float.floatToFloat16(src[off + i]));
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) dst.set(LE_SHORT, dstOff + 2L * i, toBf16(src[off + i]));
            }
            case Q8_0 -> Q8_0Matrix.quantize(src, off, n, dst, dstOff);
            case Q4_0 -> Q4_0Matrix.quantize(src, off, n, dst, dstOff);
            case MXFP4 -> MXFP4Matrix.quantize(src, off, n, dst, dstOff);
            default -> throw new IllegalArgumentException("no quantizer for " + type + " (supported: " + supportedTypes() + ")");
        }
    }

    /** Round to nearest even on the upper 16 bits, NaNs kept quiet, as ggml's {@code fp32_to_bf16}. */
    static short toBf16(float f) {
        int u = Float.floatToRawIntBits(f);
        if ((u & 0x7fffffff) > 0x7f800000) return (short) ((u >>> 16) | 64);
        return (short) ((u + (0x7fff + ((u >>> 16) & 1))) >>> 16);
    }

    /** C's {@code roundf}: halves round away from zero. */
    static int roundAway(float v) {
        float a = Math.abs(v);
        float r = (float) Math.floor(a);
        if (a - r >= 0.5f) r += 1;
        return (int) Math.copySign(r, v);
    }
}
