package dev.lectern.inference.tensor;

import java.lang.foreign.MemorySegment;

/** F16 weights: IEEE 754 half-precision values, 2 bytes each, little-endian. */
final class F16Matrix extends Matrix {

    F16Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.F16, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    /**
     * A plain loop over {@link Float#float16ToFloat}: HotSpot compiles it to vector half-to-float conversions, which
     * measured twice as fast as widening the bits by hand with the Vector API. The inherited {@link #dot}
     * (dequantize into a per-thread buffer, then a vector dot) is therefore also the fastest F16 dot here.
     */
    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long base = row * rowBytes;
        for (int i = 0; i < cols; i++) dst[dstOff + i] = Float.float16ToFloat(data.get(LE_SHORT, base + 2L * i));
    }
}
