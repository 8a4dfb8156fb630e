package dev.lectern.inference.model;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.gguf.GgufTensor;
import dev.lectern.inference.gguf.GgufFormatException;
import dev.lectern.inference.tensor.Matrix;

/** Looks up a model's tensors by name, checking each shape against the hyperparameters. */
final class Weights {
    private final GgufFile file;

    Weights(GgufFile file) {
        this.file = file;
    }

    /** A 2-D weight of {@code cols × rows} (ggml order); {@code rows = -1} accepts any row count. */
    Matrix matrix(String name, int cols, int rows) {
        GgufTensor t = file.tensor(name);
        if (t.nDims() != 2 || t.dim(0) != cols || (rows >= 0 && t.dim(1) != rows)) {
            throw new GgufFormatException(file.path(), "tensor '" + name + "': has shape " + java.util.Arrays.toString(t.dims())
                    + ", expected [" + cols + ", " + (rows >= 0 ? rows : "n") + "]");
        }
        return t.matrix();
    }

    /** A linear layer {@code in → out} with an optional bias named {@code <base>.bias}. */
    Linear linear(String base, int in, int out, boolean biasRequired) {
        Matrix w = matrix(base + ".weight", in, out);
        String biasName = base + ".bias";
        float[] bias = biasRequired || file.hasTensor(biasName) ? vector(biasName, out) : null;
        return new Linear(w, bias);
    }

    /** A 1-D tensor of {@code n} values as floats (norm weights, biases). */
    float[] vector(String name, int n) {
        GgufTensor t = file.tensor(name);
        if (t.elementCount() != n) {
            throw new GgufFormatException(file.path(), "tensor '" + name + "': has shape " + java.util.Arrays.toString(t.dims())
                    + ", expected " + n + " values");
        }
        return t.toFloatArray();
    }

    /** Matrix {@code e} of a 3-D expert tensor {@code [cols, rows, experts]}. */
    Matrix expert(String name, int cols, int rows, int experts, int e) {
        GgufTensor t = file.tensor(name);
        t.requireShape(cols, rows, experts);
        return t.matrix(e);
    }

    /** A 2-D per-expert bias {@code [n, experts]}, one row of {@code n} floats per expert. */
    float[][] expertBiases(String name, int n, int experts) {
        GgufTensor t = file.tensor(name);
        t.requireShape(n, experts);
        float[] all = t.toFloatArray();
        float[][] rows = new float[experts][];
        for (int e = 0; e < experts; e++) rows[e] = java.util.Arrays.copyOfRange(all, e * n, (e + 1) * n);
        return rows;
    }

    boolean has(String name) {
        return file.hasTensor(name);
    }
}
