package dev.lectern.inference.gguf;

import dev.lectern.inference.tensor.GgmlType;
import dev.lectern.inference.tensor.Matrix;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor of a GGUF file: its name, shape, element type and its bytes as a slice of the file's mapping
 * (nothing is copied).
 *
 * <p>Shapes follow ggml: {@code dims()[0]} (ne0) is the contiguous dimension. A 2-D weight with
 * {@code dims = [cols, rows]} is a row-major matrix of {@code rows} rows of {@code cols} values, which is how
 * {@link #matrix()} presents it.
 */
public final class GgufTensor {

    private final Path file;
    private final String name;
    private final long[] dims;
    private final GgmlType type;
    private final long offset;
    private final MemorySegment data;

    GgufTensor(Path file, String name, long[] dims, GgmlType type, long offset, MemorySegment data) {
        this.file = file;
        this.name = name;
        this.dims = dims.clone();
        this.type = type;
        this.offset = offset;
        this.data = data;
    }

    public String name() {
        return name;
    }

    /** ggml dims, ne0 (contiguous) first. */
    public long[] dims() {
        return dims.clone();
    }

    public int nDims() {
        return dims.length;
    }

    /** ne[i], or 1 past the last dimension (as ggml pads shapes to 4 dims). */
    public long dim(int i) {
        return i < dims.length ? dims[i] : 1;
    }

    public GgmlType type() {
        return type;
    }

    /** Offset of the data relative to the start of the file's data section. */
    public long offset() {
        return offset;
    }

    /** The tensor's bytes: a read-only slice of the file mapping. */
    public MemorySegment data() {
        return data;
    }

    public long elementCount() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    /** The file this tensor belongs to (for error messages). */
    public Path file() {
        return file;
    }

    /**
     * This tensor as a matrix of {@code dims[0]} columns and {@code dims[1]*dims[2]*dims[3]} rows.
     *
     * @throws GgufFormatException if the type has no kernels here or the shape does not fit int indices
     */
    public Matrix matrix() {
        return matrixOf(data, elementCount() / dims[0], "");
    }

    /**
     * Matrix {@code index} of a 3-D tensor {@code [cols, rows, n]} (e.g. one expert of a mixture-of-experts weight).
     */
    public Matrix matrix(int index) {
        if (dims.length != 3) throw new GgufFormatException(file, "tensor '" + name + "': has shape " + Arrays.toString(dims) + ", expected 3 dimensions");
        if (index < 0 || index >= dims[2]) {
            throw new GgufFormatException(file, "tensor '" + name + "': matrix index " + index + " out of range [0, " + dims[2] + ")");
        }
        long bytes = data.byteSize() / dims[2];
        return matrixOf(data.asSlice(bytes * index, bytes), dims[1], " (matrix " + index + ")");
    }

    /** All values dequantized to float (for small tensors: norms, biases, embeddings of tiny models). */
    public float[] toFloatArray() {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) throw new GgufFormatException(file, "tensor '" + name + "': " + n + " values do not fit a float[]");
        float[] out = new float[(int) n];
        Matrix m = matrix();
        for (int r = 0; r < m.rows(); r++) m.dequantizeRow(r, out, r * m.cols());
        return out;
    }

    /**
     * Checks the shape against what a model expects, e.g. {@code requireShape(n_embd, n_vocab)}.
     *
     * @throws GgufFormatException naming the tensor, the expected and the actual shape
     */
    public GgufTensor requireShape(long... expected) {
        if (!Arrays.equals(dims, expected)) {
            throw new GgufFormatException(file, "tensor '" + name + "': has shape " + Arrays.toString(dims)
                    + ", expected " + Arrays.toString(expected));
        }
        return this;
    }

    private Matrix matrixOf(MemorySegment slice, long rows, String what) {
        if (dims[0] > Integer.MAX_VALUE || rows > Integer.MAX_VALUE) {
            throw new GgufFormatException(file, "tensor '" + name + "'" + what + ": shape " + Arrays.toString(dims) + " is too large for int indices");
        }
        if (!Matrix.supports(type)) {
            throw new GgufFormatException(file, "tensor '" + name + "': has type " + type + ", which Lectern has no kernels for (supported: "
                    + Matrix.supportedTypes() + ")");
        }
        return Matrix.of(type, slice, (int) rows, (int) dims[0]);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(dims);
    }
}
