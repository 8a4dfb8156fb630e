package dev.lectern.inference.bert;

import dev.lectern.inference.tensor.Matrix;
import dev.lectern.inference.tensor.Parallel;
import dev.lectern.inference.tensor.VectorExp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The BERT encoder forward pass (Devlin et al. 2019; the post-LayerNorm transformer of Vaswani et al. 2017):
 * <pre>
 *   x    = LayerNorm(E_word[id] + E_type[0] + E_pos[p])
 *   per layer:
 *     a  = softmax(Q·Kᵀ / √d_head) · V        per head, Q = x·W_q + b_q, K = x·W_k + b_k, V = x·W_v + b_v
 *     x  = LayerNorm(x + a·W_o + b_o)
 *     x  = LayerNorm(x + GELU(x·W_i + b_i)·W_out + b_out)
 * </pre>
 * Several sequences are encoded in one call. Their tokens are packed one after another into a single batch, so every
 * weight matrix is applied once to all tokens by the engine's batched GEMM; attention runs per sequence, so a token
 * sees only the tokens of its own sequence. This is a padded batch with an attention mask, minus the padding: no
 * work is spent on pad positions, and each sequence's result is bit-identical to encoding it alone, because each
 * output of the GEMM does not depend on the other rows of the batch. Threads split matrix rows and (sequence, head)
 * pairs; the summation order never depends on the thread count, so neither does the result.
 */
public final class BertEncoder {
    private static final ThreadLocal<AttentionScratch> SCRATCH = ThreadLocal.withInitial(AttentionScratch::new);

    private final BertModel model;
    private final BertConfig config;

    public BertEncoder(BertModel model) {
        this.model = model;
        this.config = model.config();
    }

    public BertModel model() {
        return model;
    }

    /**
     * The last hidden state of every token, packed: {@code hiddenSize} floats per token, the tokens of sequence 0
     * first, then sequence 1, and so on (no padding). Token type 0 is used throughout.
     *
     * @param sequences token ids, each sequence non-empty and at most {@link BertConfig#maxPositions()} long
     */
    public float[] forward(int[][] sequences, Parallel parallel) {
        int[] offsets = offsets(sequences);
        int tokens = offsets[sequences.length];
        int h = config.hiddenSize();
        float[] x = new float[tokens * h];
        embed(sequences, offsets, x, parallel);
        float[] q = new float[tokens * h];
        float[] k = new float[tokens * h];
        float[] v = new float[tokens * h];
        float[] context = new float[tokens * h];
        float[] projected = new float[tokens * h];
        float[] hidden = new float[tokens * config.intermediateSize()];
        for (BertLayer layer : model.layers()) {
            linear(layer.query(), layer.queryBias(), x, tokens, q, false, parallel);
            linear(layer.key(), layer.keyBias(), x, tokens, k, false, parallel);
            linear(layer.value(), layer.valueBias(), x, tokens, v, false, parallel);
            attention(q, k, v, offsets, context, parallel);
            linear(layer.attentionOutput(), layer.attentionOutputBias(), context, tokens, projected, false, parallel);
            addAndNormalize(x, projected, layer.attentionNorm(), tokens, parallel);
            linear(layer.intermediate(), layer.intermediateBias(), x, tokens, hidden, true, parallel);
            linear(layer.output(), layer.outputBias(), hidden, tokens, projected, false, parallel);
            addAndNormalize(x, projected, layer.outputNorm(), tokens, parallel);
        }
        return x;
    }

    /** Start row of each sequence in the packed batch, plus the total at the end; checks ids and lengths. */
    private int[] offsets(int[][] sequences) {
        int[] offsets = new int[sequences.length + 1];
        for (int s = 0; s < sequences.length; s++) {
            int[] ids = sequences[s];
            if (ids.length == 0 || ids.length > config.maxPositions()) {
                throw new IllegalArgumentException(model.source() + ": sequence " + s + " has " + ids.length
                        + " tokens, expected 1 to " + config.maxPositions());
            }
            for (int id : ids) {
                if (id < 0 || id >= config.vocabularySize()) {
                    throw new IllegalArgumentException(model.source() + ": token id " + id + " in sequence " + s
                            + " is outside the vocabulary (0.." + (config.vocabularySize() - 1) + ")");
                }
            }
            offsets[s + 1] = Math.addExact(offsets[s], ids.length);
        }
        return offsets;
    }

    /** x[t] = LayerNorm(word[id] + type[0] + position[p]). */
    private void embed(int[][] sequences, int[] offsets, float[] x, Parallel parallel) {
        int h = config.hiddenSize();
        parallel.forRange(sequences.length, 1, (first, end) -> {
            float[] typeRow = new float[h];
            float[] positionRow = new float[h];
            model.tokenTypeEmbeddings().dequantizeRow(0, typeRow, 0);
            for (int s = first; s < end; s++) {
                int[] ids = sequences[s];
                for (int p = 0; p < ids.length; p++) {
                    int row = (offsets[s] + p) * h;
                    model.wordEmbeddings().dequantizeRow(ids[p], x, row);
                    model.positionEmbeddings().dequantizeRow(p, positionRow, 0);
                    for (int i = 0; i < h; i++) {
                        x[row + i] = (x[row + i] + typeRow[i]) + positionRow[i];
                    }
                    model.embeddingNorm().applyInPlace(x, row);
                }
            }
        });
    }

    /** out = in·Wᵀ + bias for every token row, then GELU when asked. */
    private static void linear(Matrix weight, float[] bias, float[] in, int tokens, float[] out, boolean gelu, Parallel parallel) {
        weight.matmul(in, 0, tokens, out, 0, bias, parallel);
        if (gelu) {
            int width = weight.rows();
            parallel.forRange(tokens, 1, (first, end) -> Gelu.applyInPlace(out, first * width, end * width));
        }
    }

    /** x = LayerNorm(x + delta), row by row. */
    private void addAndNormalize(float[] x, float[] delta, LayerNorm norm, int tokens, Parallel parallel) {
        int h = config.hiddenSize();
        parallel.forRange(tokens, 1, (first, end) -> {
            for (int t = first; t < end; t++) {
                int row = t * h;
                for (int i = 0; i < h; i++) {
                    x[row + i] += delta[row + i];
                }
                norm.applyInPlace(x, row);
            }
        });
    }

    /** Scaled dot-product attention, one task per (sequence, head), each writing its own slice of {@code context}. */
    private void attention(float[] q, float[] k, float[] v, int[] offsets, float[] context, Parallel parallel) {
        int heads = config.headCount();
        int sequenceCount = offsets.length - 1;
        parallel.forRange(sequenceCount * heads, 1, (first, end) -> {
            AttentionScratch scratch = SCRATCH.get();
            for (int task = first; task < end; task++) {
                int s = task / heads;
                attendOneHead(q, k, v, offsets[s], offsets[s + 1] - offsets[s], task % heads, context, scratch);
            }
        });
    }

    /**
     * One head of one sequence of length {@code n}, with vector lanes along the attended positions for the scores
     * and along the head dimension for the context, so neither product needs a matrix object or a padded GEMM panel:
     * <pre>
     *   scores[i][j]  = Σ_c q[i][c]·k[j][c]      (Kᵀ of the head gathered once, rows padded to whole vectors)
     *   context[i][c] = Σ_j p[i][j]·v[j][c]      (V read in place: a head's values are contiguous in each token row)
     * </pre>
     * Each output is one FMA chain from zero in ascending c (scores) or j (context), exactly the order of the
     * engine's GEMM, so the result does not depend on the thread count or on the other sequences of the batch.
     */
    private void attendOneHead(float[] q, float[] k, float[] v, int offset, int n, int head, float[] context,
                               AttentionScratch scratch) {
        VectorSpecies<Float> species = VectorExp.S;
        int lanes = species.length();
        int h = config.hiddenSize();
        int d = config.headSize();
        int stride = (n + lanes - 1) / lanes * lanes;
        scratch.ensure(stride, d);
        float[] keysTransposed = scratch.keysTransposed;
        float[] scores = scratch.scores;
        int headBase = offset * h + head * d;
        for (int j = 0; j < n; j++) {
            int from = headBase + j * h;
            for (int c = 0; c < d; c++) {
                keysTransposed[c * stride + j] = k[from + c];
            }
        }
        int i = 0;
        // Four queries at a time: four independent FMA chains share each load of Kᵀ (one chain is latency-bound).
        for (; i + 4 <= n; i += 4) {
            int q0 = headBase + i * h, q1 = q0 + h, q2 = q1 + h, q3 = q2 + h;
            for (int j = 0; j < stride; j += lanes) {
                FloatVector a0 = FloatVector.zero(species), a1 = FloatVector.zero(species);
                FloatVector a2 = FloatVector.zero(species), a3 = FloatVector.zero(species);
                for (int c = 0, kt = j; c < d; c++, kt += stride) {
                    FloatVector keyColumn = FloatVector.fromArray(species, keysTransposed, kt);
                    a0 = keyColumn.fma(FloatVector.broadcast(species, q[q0 + c]), a0);
                    a1 = keyColumn.fma(FloatVector.broadcast(species, q[q1 + c]), a1);
                    a2 = keyColumn.fma(FloatVector.broadcast(species, q[q2 + c]), a2);
                    a3 = keyColumn.fma(FloatVector.broadcast(species, q[q3 + c]), a3);
                }
                a0.intoArray(scores, i * stride + j);
                a1.intoArray(scores, (i + 1) * stride + j);
                a2.intoArray(scores, (i + 2) * stride + j);
                a3.intoArray(scores, (i + 3) * stride + j);
            }
        }
        for (; i < n; i++) {
            int qRow = headBase + i * h;
            for (int j = 0; j < stride; j += lanes) {
                FloatVector acc = FloatVector.zero(species);
                for (int c = 0, kt = j; c < d; c++, kt += stride) {
                    acc = FloatVector.fromArray(species, keysTransposed, kt).fma(FloatVector.broadcast(species, q[qRow + c]), acc);
                }
                acc.intoArray(scores, i * stride + j);
            }
        }
        float scale = (float) Math.sqrt(d);
        for (int row = 0; row < n; row++) {
            softmaxRow(scores, row * stride, n, scale);
        }
        i = 0;
        if (d % lanes == 0) {
            // Four queries at a time, as for the scores: four chains share each load of a value row.
            for (; i + 4 <= n; i += 4) {
                int p0 = i * stride, p1 = p0 + stride, p2 = p1 + stride, p3 = p2 + stride;
                int o0 = headBase + i * h;
                for (int c = 0; c < d; c += lanes) {
                    FloatVector a0 = FloatVector.zero(species), a1 = FloatVector.zero(species);
                    FloatVector a2 = FloatVector.zero(species), a3 = FloatVector.zero(species);
                    for (int j = 0, vRow = headBase + c; j < n; j++, vRow += h) {
                        FloatVector values = FloatVector.fromArray(species, v, vRow);
                        a0 = values.fma(FloatVector.broadcast(species, scores[p0 + j]), a0);
                        a1 = values.fma(FloatVector.broadcast(species, scores[p1 + j]), a1);
                        a2 = values.fma(FloatVector.broadcast(species, scores[p2 + j]), a2);
                        a3 = values.fma(FloatVector.broadcast(species, scores[p3 + j]), a3);
                    }
                    a0.intoArray(context, o0 + c);
                    a1.intoArray(context, o0 + h + c);
                    a2.intoArray(context, o0 + 2 * h + c);
                    a3.intoArray(context, o0 + 3 * h + c);
                }
            }
        }
        for (; i < n; i++) {
            int pRow = i * stride;
            int outRow = headBase + i * h;
            for (int c = 0; c < d; c += lanes) {
                VectorMask<Float> live = species.indexInRange(c, d);
                FloatVector acc = FloatVector.zero(species);
                if (live.allTrue()) {
                    for (int j = 0, vRow = headBase + c; j < n; j++, vRow += h) {
                        acc = FloatVector.fromArray(species, v, vRow).fma(FloatVector.broadcast(species, scores[pRow + j]), acc);
                    }
                    acc.intoArray(context, outRow + c);
                } else {
                    for (int j = 0, vRow = headBase + c; j < n; j++, vRow += h) {
                        acc = FloatVector.fromArray(species, v, vRow, live).fma(FloatVector.broadcast(species, scores[pRow + j]), acc);
                    }
                    acc.intoArray(context, outRow + c, live);
                }
            }
        }
    }

    /**
     * p_j = exp(s_j/scale − max) / Σ exp(…), over one row of scores. Vectorized (the last lanes under a mask, so every
     * score takes the same arithmetic); the sum is taken in double in index order, so it does not depend on the lane
     * count.
     */
    private static void softmaxRow(float[] scores, int from, int n, float scale) {
        VectorSpecies<Float> species = VectorExp.S;
        int to = from + n;
        FloatVector maxes = FloatVector.broadcast(species, Float.NEGATIVE_INFINITY);
        for (int j = from; j < to; j += species.length()) {
            VectorMask<Float> live = species.indexInRange(j, to);
            FloatVector scaled = FloatVector.fromArray(species, scores, j, live).div(scale);
            scaled.intoArray(scores, j, live);
            maxes = maxes.blend(maxes.max(scaled), live);
        }
        float max = maxes.reduceLanes(VectorOperators.MAX);
        for (int j = from; j < to; j += species.length()) {
            VectorMask<Float> live = species.indexInRange(j, to);
            VectorExp.exp(FloatVector.fromArray(species, scores, j, live).sub(max)).intoArray(scores, j, live);
        }
        double sum = 0;
        for (int j = from; j < to; j++) {
            sum += scores[j];
        }
        float inverse = (float) (1.0 / sum);
        for (int j = from; j < to; j += species.length()) {
            VectorMask<Float> live = species.indexInRange(j, to);
            FloatVector.fromArray(species, scores, j, live).mul(inverse).intoArray(scores, j, live);
        }
    }

    /** Per-thread attention buffers, grown to the longest sequence seen and then reused. */
    private static final class AttentionScratch {
        float[] keysTransposed = new float[0];
        float[] scores = new float[0];

        /** For {@code stride} positions (the sequence length rounded up to whole vectors) and heads of d values. */
        void ensure(int stride, int d) {
            if (keysTransposed.length < stride * d) {
                keysTransposed = new float[stride * d];
            }
            if (scores.length < stride * stride) {
                scores = new float[stride * stride];
            }
        }
    }
}
