package dev.lectern.inference.embed;

/**
 * Sentence vectors from token vectors, in float32 and in the same order of operations as langchain4j's
 * {@code OnnxBertBiEncoder} (the reference for all-MiniLM-L6-v2): the token vectors are summed in token order, the
 * sum divided by the token count, and the mean divided by its L2 norm, itself accumulated as a float.
 */
public final class MeanPooling {
    private MeanPooling() {
    }

    /** The mean of {@code count} rows of width {@code width} starting at row {@code firstRow} of {@code rows}. */
    public static float[] mean(float[] rows, int firstRow, int count, int width) {
        if (count < 1) {
            throw new IllegalArgumentException("cannot pool " + count + " tokens");
        }
        float[] sum = new float[width];
        for (int t = 0; t < count; t++) {
            int row = (firstRow + t) * width;
            for (int i = 0; i < width; i++) {
                sum[i] += rows[row + i];
            }
        }
        float n = count;
        for (int i = 0; i < width; i++) {
            sum[i] /= n;
        }
        return sum;
    }

    /** Divides {@code vector} by its L2 norm in place (a zero vector stays zero) and returns it. */
    public static float[] normalizeInPlace(float[] vector) {
        float sumOfSquares = 0;
        for (float value : vector) {
            sumOfSquares += value * value;
        }
        float norm = (float) Math.sqrt(sumOfSquares);
        if (norm > 0) {
            for (int i = 0; i < vector.length; i++) {
                vector[i] /= norm;
            }
        }
        return vector;
    }
}
