package dev.lectern.inference.model;

import dev.lectern.inference.tensor.Parallel;

import java.util.Arrays;

/**
 * The gpt-oss feed-forward of one block: a router picks {@code k} experts per row and weighs them; each chosen
 * expert is a clamped SwiGLU with biases.
 * <pre>
 *   ℓ = W_router · m + b_router;  E = top-k(ℓ);  p = softmax(ℓ_E)
 *   out = Σ_{e∈E, ascending e} p_e · (W_down,e · SwiGLU_clamped(W_gate,e·m + b, W_up,e·m + b) + b_down,e)
 * </pre>
 * Only the chosen experts are computed. Every product is the batch-invariant kernel (for one row through
 * {@link Linear#rows}), and the weighted sum is taken in ascending expert order,
 * so a row's output does not depend on the other rows of the pass nor on which of the two paths below ran it.
 */
final class MixtureOfExperts {

    /** One expert: gate and up projections {@code d → ff}, down projection {@code ff → d}, each with a bias. */
    record Expert(Linear gate, Linear up, Linear down) {}

    /** Output rows per parallel work unit (whole units per thread keep the split even for any thread count). */
    private static final int GRAIN = 32;

    private final Linear router;
    private final Expert[] experts;
    private final int used;
    private final float alpha;
    private final float limit;

    MixtureOfExperts(Linear router, Expert[] experts, int used, float alpha, float limit) {
        this.router = router;
        this.experts = experts;
        this.used = used;
        this.alpha = alpha;
        this.limit = limit;
    }

    /** {@code ws.out[r] = MoE(ws.xn[r])} for every row of the batch. */
    void apply(Batch batch, Workspace ws, Parallel parallel) {
        route(batch.size(), ws, parallel);
        if (batch.size() == 1) oneRow(ws, parallel);
        else byExpert(batch.size(), ws, parallel);
    }

    /**
     * Per row: router logits, the top-k experts (highest logit, lowest index on ties), softmax weights over them;
     * then the row's choices are sorted by expert index (with their weights), the order the outputs are summed in.
     */
    private void route(int n, Workspace ws, Parallel parallel) {
        int nE = experts.length;
        int k = used;
        router.apply(ws.xn, n, ws.routerLogits, parallel, ws.batchInvariant);
        for (int r = 0; r < n; r++) {
            int base = r * nE;
            int off = r * k;
            for (int j = 0; j < k; j++) {
                int best = -1;
                for (int e = 0; e < nE; e++) {
                    if (isChosen(ws, off, j, e)) continue;
                    if (best < 0 || ws.routerLogits[base + e] > ws.routerLogits[base + best]) best = e;
                }
                ws.chosenExperts[off + j] = best;
                ws.expertWeights[off + j] = ws.routerLogits[base + best];
            }
            Softmax.softmax(ws.expertWeights, off, k);
            sortByExpert(ws.chosenExperts, ws.expertWeights, off, k);
        }
    }

    private static boolean isChosen(Workspace ws, int off, int count, int e) {
        for (int i = 0; i < count; i++) if (ws.chosenExperts[off + i] == e) return true;
        return false;
    }

    /** Insertion sort of {@code k} (expert, weight) pairs by expert index. */
    private static void sortByExpert(int[] ids, float[] weights, int off, int k) {
        for (int i = off + 1; i < off + k; i++) {
            int id = ids[i];
            float w = weights[i];
            int j = i - 1;
            for (; j >= off && ids[j] > id; j--) {
                ids[j + 1] = ids[j];
                weights[j + 1] = weights[j];
            }
            ids[j + 1] = id;
            weights[j + 1] = w;
        }
    }

    /**
     * Decoding one row: two parallel loops over the chosen experts' rows instead of three loops per expert (one split
     * into halves that are even for any thread count, where 2880 rows in 64-row units split 22/23). Each expert's
     * outputs come from {@link Linear#rows}, the single-row kernel {@link Linear#apply} runs for one row in either
     * mode. Work items run matrix by matrix, row by row: interleaving two matrices' rows measured slower (more memory
     * streams at once).
     */
    private void oneRow(Workspace ws, Parallel parallel) {
        int ff = experts[0].gate().outFeatures();
        int d = experts[0].down().outFeatures();
        int k = used;
        // Items of 2·k·ff: chosen expert j's gate outputs at [2j·ff, (2j+1)·ff), its up outputs at the next ff.
        parallel.forRange(2 * k * ff, GRAIN, (start, end) -> {
            for (int t = start; t < end; ) {
                int m = t / ff, runEnd = Math.min(end, (m + 1) * ff);
                Expert e = experts[ws.chosenExperts[m / 2]];
                (m % 2 == 0 ? e.gate() : e.up()).rows(ws.xn, 0, ws.expertGateUp, m * ff, t - m * ff, runEnd - m * ff);
                t = runEnd;
            }
        });
        for (int j = 0; j < k; j++) {
            int g = 2 * j * ff;
            for (int i = 0; i < ff; i++) {
                ws.expertHidden[j * ff + i] = Activations.clampedSwiglu(ws.expertGateUp[g + i], ws.expertGateUp[g + ff + i], alpha, limit);
            }
        }
        // Items of k·d: chosen expert j's down outputs at [j·d, (j+1)·d), over that expert's hidden units.
        parallel.forRange(k * d, GRAIN, (start, end) -> {
            for (int t = start; t < end; ) {
                int j = t / d, runEnd = Math.min(end, (j + 1) * d);
                experts[ws.chosenExperts[j]].down().rows(ws.expertHidden, j * ff, ws.expertDown, j * d, t - j * d, runEnd - j * d);
                t = runEnd;
            }
        });
        for (int i = 0; i < d; i++) {
            float sum = 0f;
            for (int j = 0; j < k; j++) sum += ws.expertWeights[j] * ws.expertDown[j * d + i];
            ws.out[i] = sum;
        }
    }

    /**
     * Several rows: each expert runs once over the rows routed to it (its weights read once per pass), and its
     * weighted outputs are added in expert order.
     */
    private void byExpert(int n, Workspace ws, Parallel parallel) {
        int d = experts[0].down().outFeatures();
        int ff = experts[0].gate().outFeatures();
        int k = used;
        Arrays.fill(ws.out, 0, n * d, 0f);
        for (int e = 0; e < experts.length; e++) {
            int count = 0;
            for (int r = 0; r < n; r++) {
                if (isChosen(ws, r * k, k, e)) {
                    ws.expertRows[count] = r;
                    System.arraycopy(ws.xn, r * d, ws.expertIn, count * d, d);
                    count++;
                }
            }
            if (count == 0) continue;
            Expert x = experts[e];
            x.gate().apply(ws.expertIn, count, ws.gate, parallel, ws.batchInvariant);
            x.up().apply(ws.expertIn, count, ws.up, parallel, ws.batchInvariant);
            for (int i = 0; i < count * ff; i++) ws.gate[i] = Activations.clampedSwiglu(ws.gate[i], ws.up[i], alpha, limit);
            x.down().apply(ws.gate, count, ws.expertOut, parallel, ws.batchInvariant);
            for (int i = 0; i < count; i++) {
                int r = ws.expertRows[i];
                float p = weightOf(ws, r * k, k, e);
                for (int j = 0; j < d; j++) ws.out[r * d + j] += p * ws.expertOut[i * d + j];
            }
        }
    }

    private static float weightOf(Workspace ws, int off, int k, int e) {
        for (int i = 0; i < k; i++) if (ws.chosenExperts[off + i] == e) return ws.expertWeights[off + i];
        throw new IllegalStateException("expert " + e + " was not chosen");
    }
}
