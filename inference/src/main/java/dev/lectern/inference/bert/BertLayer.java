package dev.lectern.inference.bert;

import dev.lectern.inference.tensor.Matrix;

/**
 * The weights of one transformer layer. Matrices are [out rows × in columns] (each row is one output's weights), the
 * layout of the engine's kernels; biases have one value per output.
 */
public record BertLayer(Matrix query, float[] queryBias,
                        Matrix key, float[] keyBias,
                        Matrix value, float[] valueBias,
                        Matrix attentionOutput, float[] attentionOutputBias, LayerNorm attentionNorm,
                        Matrix intermediate, float[] intermediateBias,
                        Matrix output, float[] outputBias, LayerNorm outputNorm) {

    /** Checks every shape against the configuration; {@code where} names the layer in the message. */
    void check(BertConfig config, String where) {
        int h = config.hiddenSize();
        int f = config.intermediateSize();
        checkMatrix(query, h, h, where + " query");
        checkMatrix(key, h, h, where + " key");
        checkMatrix(value, h, h, where + " value");
        checkMatrix(attentionOutput, h, h, where + " attention output");
        checkMatrix(intermediate, f, h, where + " intermediate");
        checkMatrix(output, h, f, where + " output");
        checkVector(queryBias, h, where + " query bias");
        checkVector(keyBias, h, where + " key bias");
        checkVector(valueBias, h, where + " value bias");
        checkVector(attentionOutputBias, h, where + " attention output bias");
        checkVector(intermediateBias, f, where + " intermediate bias");
        checkVector(outputBias, h, where + " output bias");
        checkVector(attentionNorm.weight(), h, where + " attention LayerNorm");
        checkVector(outputNorm.weight(), h, where + " output LayerNorm");
    }

    static void checkMatrix(Matrix matrix, int rows, int cols, String what) {
        if (matrix.rows() != rows || matrix.cols() != cols) {
            throw new IllegalArgumentException(what + " is " + matrix.rows() + " x " + matrix.cols() + ", expected "
                    + rows + " x " + cols);
        }
    }

    static void checkVector(float[] vector, int size, String what) {
        if (vector.length != size) {
            throw new IllegalArgumentException(what + " has " + vector.length + " values, expected " + size);
        }
    }
}
