package dev.lectern.inference.bert;

/**
 * The error function to double precision ({@code Math} has none): the reference {@link Gelu}'s float erf is tested
 * against (it was the engine's GELU until GELU was vectorized).
 *
 * <p>Method: erf is tabulated at the nodes {@code k/64} of [0, 6] together with its Taylor coefficients there, and
 * evaluated as a degree-4 polynomial (three fused multiply-adds and one more) in the distance to the nearest node,
 * at most 1/128. The derivatives come from {@code erf⁽ᵐ⁾(x) = (2/√π)·(−1)^(m−1)·H_{m−1}(x)·e^(−x²)} with the
 * physicists' Hermite polynomials, so the truncation error is below {@code |erf⁽⁵⁾|/5!·(1/128)⁵ < 1e-11}, ten
 * thousand times finer than a float's resolution. The table (15 KB) stays in the L1 cache. The node values come from the series
 * {@code erf(x) = (2/√π)·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1))}, whose terms are all positive (no cancellation).
 * Beyond 6, erf is ±1 to double precision (1 − erf(6) ≈ 2e-17).
 */
public final class Erf {
    private static final int NODES_PER_UNIT = 64;
    private static final double LIMIT = 6.0;
    private static final int NODE_COUNT = (int) (LIMIT * NODES_PER_UNIT) + 1;
    private static final int DEGREE = 4;
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    /** Row k holds the Taylor coefficients c0..c4 of erf around k/64. */
    private static final double[] COEFFICIENTS = new double[NODE_COUNT * (DEGREE + 1)];

    static {
        double[] hermite = new double[DEGREE];
        double[] factorial = new double[DEGREE + 1];
        factorial[0] = 1;
        for (int m = 1; m <= DEGREE; m++) {
            factorial[m] = factorial[m - 1] * m;
        }
        for (int k = 0; k < NODE_COUNT; k++) {
            double x = (double) k / NODES_PER_UNIT;
            int row = k * (DEGREE + 1);
            COEFFICIENTS[row] = seriesErf(x);
            // H_0 = 1, H_1 = 2x, H_{n+1} = 2x·H_n − 2n·H_{n−1}
            hermite[0] = 1;
            if (DEGREE > 1) {
                hermite[1] = 2 * x;
            }
            for (int n = 1; n + 1 < DEGREE; n++) {
                hermite[n + 1] = 2 * x * hermite[n] - 2 * n * hermite[n - 1];
            }
            double gaussian = TWO_OVER_SQRT_PI * Math.exp(-x * x);
            for (int m = 1; m <= DEGREE; m++) {
                double sign = (m % 2 == 1) ? 1 : -1;
                COEFFICIENTS[row + m] = sign * hermite[m - 1] * gaussian / factorial[m];
            }
        }
    }

    private Erf() {
    }

    /** erf(x), within 1e-11 of the exact value. */
    public static double erf(double x) {
        double ax = Math.abs(x);
        if (!(ax < LIMIT)) {
            return Double.isNaN(x) ? Double.NaN : Math.copySign(1.0, x);
        }
        int k = (int) (ax * NODES_PER_UNIT + 0.5);
        double d = ax - (double) k / NODES_PER_UNIT;
        int row = k * (DEGREE + 1);
        double value = COEFFICIENTS[row + DEGREE];
        for (int m = DEGREE - 1; m >= 0; m--) {
            value = Math.fma(value, d, COEFFICIENTS[row + m]);
        }
        return Math.copySign(value, x);
    }

    /** The slow, exact-to-rounding series, used to build the table (and by tests as the reference). */
    static double seriesErf(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 0; n < 400; n++) {
            term *= 2 * x2 / (2 * n + 3);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }
}
