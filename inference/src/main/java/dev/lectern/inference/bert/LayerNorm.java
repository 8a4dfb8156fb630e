package dev.lectern.inference.bert;

/**
 * {@code y = (x − mean(x)) / √(var(x) + eps) · weight + bias} over one hidden state. Mean and variance are summed in
 * double in index order, so the result does not depend on threads or batch.
 */
public record LayerNorm(float[] weight, float[] bias, float eps) {
    public LayerNorm {
        if (weight.length != bias.length) {
            throw new IllegalArgumentException("LayerNorm weight has " + weight.length + " values, bias " + bias.length);
        }
    }

    public int size() {
        return weight.length;
    }

    /** Normalizes {@code x[offset, offset + size())} in place. */
    public void applyInPlace(float[] x, int offset) {
        int n = weight.length;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x[offset + i];
        }
        double mean = sum / n;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double centered = x[offset + i] - mean;
            squares += centered * centered;
        }
        double inverseStd = 1.0 / Math.sqrt(squares / n + eps);
        for (int i = 0; i < n; i++) {
            x[offset + i] = (float) ((x[offset + i] - mean) * inverseStd) * weight[i] + bias[i];
        }
    }
}
