package dev.lectern.inference.tensor;

import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static dev.lectern.inference.tensor.Vectors.F;

/** F16 weights: IEEE 754 half-precision values, 2 bytes each, little-endian. */
final class F16Matrix extends Matrix {

    F16Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.F16, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long base = row * rowBytes;
        int upper = F.loopBound(cols);
        for (int i = 0; i < upper; i += F.length()) Vectors.halfToFloat(data, base + 2L * i).intoArray(dst, dstOff + i);
        for (int i = upper; i < cols; i++) dst[dstOff + i] = f16(base + 2L * i);
    }

    /** Four accumulators so consecutive FMAs are independent; halves are widened in registers. */
    @Override
    public float dot(int row, float[] x, int xOff) {
        long base = row * rowBytes;
        int step = F.length(), upper4 = cols - cols % (4 * step), upper = F.loopBound(cols);
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
        int i = 0;
        for (; i < upper4; i += 4 * step) {
            a0 = Vectors.halfToFloat(data, base + 2L * i).fma(FloatVector.fromArray(F, x, xOff + i), a0);
            a1 = Vectors.halfToFloat(data, base + 2L * (i + step)).fma(FloatVector.fromArray(F, x, xOff + i + step), a1);
            a2 = Vectors.halfToFloat(data, base + 2L * (i + 2 * step)).fma(FloatVector.fromArray(F, x, xOff + i + 2 * step), a2);
            a3 = Vectors.halfToFloat(data, base + 2L * (i + 3 * step)).fma(FloatVector.fromArray(F, x, xOff + i + 3 * step), a3);
        }
        for (; i < upper; i += step) a0 = Vectors.halfToFloat(data, base + 2L * i).fma(FloatVector.fromArray(F, x, xOff + i), a0);
        float sum = Vectors.sum(a0.add(a1).add(a2.add(a3)));
        for (; i < cols; i++) sum = Math.fma(f16(base + 2L * i), x[xOff + i], sum);
        return sum;
    }
}
