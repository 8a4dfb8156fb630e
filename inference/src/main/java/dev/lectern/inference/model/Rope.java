package dev.lectern.inference.model;

/**
 * Rotary position embedding (Su et al., RoFormer), with the variants llama.cpp uses:
 * <ul>
 *   <li><b>normal</b> (llama): adjacent pairs {@code (x[2i], x[2i+1])} are rotated — llama.cpp's converter permutes
 *       the Q/K rows of Hugging Face llama checkpoints so that this layout applies;</li>
 *   <li><b>NeoX</b> (qwen2, qwen3, gpt-oss): pairs {@code (x[i], x[i + nRot/2])};</li>
 *   <li>per-pair frequency divisors ({@code rope_freqs.weight}, Llama 3.1+ scaling);</li>
 *   <li>YaRN (Peng et al.): frequencies interpolated by {@code freqScale} blended with extrapolation by a ramp
 *       over the correction dimensions, and a magnitude correction {@code 1 + 0.1 ln(1/freqScale)}.</li>
 * </ul>
 * Only the first {@code nRot} dimensions of a head rotate; the rest pass through. Angles are built as ggml builds
 * them ({@code θ = pos · base^(-2i/nRot)} by repeated float multiplication) to stay close to llama.cpp.
 */
public final class Rope {
    private final int nRot;
    private final boolean neox;
    private final float thetaScale;
    private final float freqScale;
    private final float[] freqFactors;
    private final float extFactor;
    private final float attnFactor;
    private final float corrLow;
    private final float corrHigh;

    /**
     * @param nRot         rotated dimensions per head (even)
     * @param neox         NeoX pairing instead of adjacent pairs
     * @param freqBase     base of the geometric frequency series
     * @param freqScale    position interpolation factor (1 / scaling factor; 1 for none)
     * @param freqFactors  per-pair frequency divisors, {@code nRot/2} of them, or null
     * @param yarn         YaRN parameters, or null for plain (or linearly scaled) RoPE
     */
    public Rope(int nRot, boolean neox, float freqBase, float freqScale, float[] freqFactors, Yarn yarn) {
        if (nRot <= 0 || nRot % 2 != 0) {
            throw new IllegalArgumentException("rope dimension count must be positive and even, got " + nRot);
        }
        if (freqFactors != null && freqFactors.length < nRot / 2) {
            throw new IllegalArgumentException("rope_freqs has " + freqFactors.length + " values, expected " + nRot / 2);
        }
        this.nRot = nRot;
        this.neox = neox;
        this.thetaScale = (float) Math.pow(freqBase, -2.0f / nRot);
        this.freqScale = freqScale;
        this.freqFactors = freqFactors;
        if (yarn == null) {
            this.extFactor = 0f;
            this.attnFactor = 1f;
            this.corrLow = 0f;
            this.corrHigh = 0f;
        } else {
            this.extFactor = yarn.extFactor();
            this.attnFactor = yarn.attnFactor();
            this.corrLow = Math.max(0f, (float) Math.floor(corrDim(nRot, yarn.originalContext(), yarn.betaFast(), freqBase)));
            this.corrHigh = Math.min(nRot - 1, (float) Math.ceil(corrDim(nRot, yarn.originalContext(), yarn.betaSlow(), freqBase)));
        }
    }

    /**
     * The rotation a model's hyperparameters describe: linear or YaRN scaling from {@code rope.scaling.*}, and the
     * per-pair divisors of {@code rope_freqs.weight} when the file has them.
     */
    public static Rope of(ModelConfig c, boolean neox, float[] freqFactors) {
        Yarn yarn = c.ropeScaling().equals("yarn")
                ? new Yarn(1f, 1f, c.yarnBetaFast(), c.yarnBetaSlow(), c.ropeOriginalContext())
                : null;
        return new Rope(c.ropeDimensionCount(), neox, c.ropeFreqBase(), c.ropeFreqScale(), freqFactors, yarn);
    }

    /**
     * YaRN parameters as llama.cpp takes them: extrapolation mix (1 when YaRN is on), attention (magnitude) factor,
     * the β bounds of the correction range in rotations, and the context the model was trained on.
     */
    public record Yarn(float extFactor, float attnFactor, float betaFast, float betaSlow, int originalContext) {}

    /** The dimension index at which a frequency completes {@code nRotations} turns over the original context. */
    private static float corrDim(int nDims, int originalContext, float nRotations, float base) {
        return (float) (nDims * Math.log(originalContext / (nRotations * 2 * Math.PI)) / (2 * Math.log(base)));
    }

    public int rotatedDims() {
        return nRot;
    }

    /** Fills {@code cosSin} ({@code nRot} floats: cos, sin per pair) with the rotation for position {@code pos}. */
    public void angles(int pos, float[] cosSin) {
        float theta = pos;
        for (int i0 = 0; i0 < nRot; i0 += 2) {
            float thetaExtrap = freqFactors == null ? theta : theta / freqFactors[i0 / 2];
            float thetaInterp = freqScale * thetaExtrap;
            float t = thetaInterp;
            float mscale = attnFactor;
            if (extFactor != 0f) {
                float rampMix = ramp(i0) * extFactor;
                t = thetaInterp * (1 - rampMix) + thetaExtrap * rampMix;
                mscale *= 1.0f + 0.1f * (float) Math.log(1.0f / freqScale);
            }
            cosSin[i0] = (float) Math.cos(t) * mscale;
            cosSin[i0 + 1] = (float) Math.sin(t) * mscale;
            theta *= thetaScale;
        }
    }

    private float ramp(int i0) {
        float y = (i0 / 2 - corrLow) / Math.max(0.001f, corrHigh - corrLow);
        return 1 - Math.min(1, Math.max(0, y));
    }

    /** Rotates {@code nHeads} consecutive heads of {@code headDim} floats starting at {@code off}. */
    public void rotate(float[] x, int off, int nHeads, int headDim, float[] cosSin) {
        int half = nRot / 2;
        for (int h = 0; h < nHeads; h++) {
            int base = off + h * headDim;
            for (int i0 = 0; i0 < nRot; i0 += 2) {
                float cos = cosSin[i0];
                float sin = cosSin[i0 + 1];
                int a = neox ? base + i0 / 2 : base + i0;
                int b = neox ? a + half : a + 1;
                float x0 = x[a];
                float x1 = x[b];
                x[a] = x0 * cos - x1 * sin;
                x[b] = x0 * sin + x1 * cos;
            }
        }
    }
}
