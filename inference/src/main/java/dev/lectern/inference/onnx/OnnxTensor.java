package dev.lectern.inference.onnx;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One initializer ({@code TensorProto}) with its data in a little-endian off-heap segment, row-major as ONNX stores it.
 * The segment belongs to an automatic arena: it is freed once nothing refers to it.
 */
public record OnnxTensor(String name, long[] dims, OnnxDataType dataType, MemorySegment data) {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public OnnxTensor {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public long dim(int axis) {
        return dims[axis];
    }

    public long elementCount() {
        return elementCount(dims);
    }

    /** Element {@code index} of a FLOAT tensor in row-major order. */
    public float getFloat(long index) {
        return data.get(F32, index * Float.BYTES);
    }

    /** Whether this is a FLOAT tensor with exactly these dimensions. */
    public boolean isFloatOfShape(long... expected) {
        return dataType == OnnxDataType.FLOAT && Arrays.equals(dims, expected);
    }

    public String describe() {
        return name + " " + dataType + Arrays.toString(dims);
    }

    static long elementCount(long[] dims) {
        long count = 1;
        for (long dim : dims) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }
}
