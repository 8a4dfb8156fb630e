package dev.lectern.inference.tensor;

import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static dev.lectern.inference.tensor.Vectors.F;

/** F32 weights: plain little-endian floats, 4 bytes per value. */
final class F32Matrix extends Matrix {

    F32Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.F32, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        MemorySegment.copy(data, LE_FLOAT, row * rowBytes, dst, dstOff, cols);
    }

    /** Four accumulators so consecutive FMAs are independent . */
    @Override
    public float dot(int row, float[] x, int xOff) {
        long base = row * rowBytes;
        int step = F.length(), upper4 = cols - cols % (4 * step), upper = F.loopBound(cols);
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
        int i = 0;
        for (; i < upper4; i += 4 * step) {
            a0 = load(base, i).fma(FloatVector.fromArray(F, x, xOff + i), a0);
            a1 = load(base, i + step).fma(FloatVector.fromArray(F, x, xOff + i + step), a1);
            a2 = load(base, i + 2 * step).fma(FloatVector.fromArray(F, x, xOff + i + 2 * step), a2);
            a3 = load(base, i + 3 * step).fma(FloatVector.fromArray(F, x, xOff + i + 3 * step), a3);
        }
        for (; i < upper; i += step) a0 = load(base, i).fma(FloatVector.fromArray(F, x, xOff + i), a0);
        float sum = Vectors.sum(a0.add(a1).add(a2.add(a3)));
        for (; i < cols; i++) sum = Math.fma(data.get(LE_FLOAT, base + 4L * i), x[xOff + i], sum);
        return sum;
    }

    private FloatVector load(long base, int i) {
        return FloatVector.fromMemorySegment(F, data, base + 4L * i, ByteOrder.LITTLE_ENDIAN);
    }
}
