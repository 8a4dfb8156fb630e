package dev.lectern.inference.model;

/**
 * Scratch activations of one forward pass, {@code rows × width} each, allocated once per session and reused
 * every step so the decode loop does not allocate. Not shared between threads that run forward passes concurrently.
 */
public final class Workspace {
    final int maxRows;
    /** Every product through the batched kernel, even for one row (see {@link DecoderModel#newWorkspace(int, boolean)}). */
    final boolean batchInvariant;
    /** Residual stream. */
    final float[] x;
    /** Normalized input of a sub-layer. */
    final float[] xn;
    final float[] q;
    final float[] k;
    final float[] v;
    /** Attention output (heads concatenated), before the output projection. */
    final float[] att;
    /** Output of a sub-layer, before it joins the residual stream. */
    final float[] out;
    final float[] gate;
    final float[] up;
    /** Rotation angles of one row (cos, sin pairs). */
    final float[] cosSin;
    /** Final-norm rows that want logits. */
    final float[] head;
    /** Mixture of experts: router logits per row, and the chosen experts and their weights per row. */
    final float[] routerLogits;
    final int[] chosenExperts;
    final float[] expertWeights;
    /** Rows routed to one expert, their gathered inputs and that expert's outputs. */
    final int[] expertRows;
    final float[] expertIn;
    final float[] expertOut;
    /** Decoding one row, per chosen expert: gate then up outputs, gated hidden units, down outputs. */
    final float[] expertGateUp;
    final float[] expertHidden;
    final float[] expertDown;
    private float[] logits = new float[0];
    private final int vocabSize;

    Workspace(ModelConfig c, int maxRows, int ffWidth, int vocabSize, boolean batchInvariant) {
        this.maxRows = maxRows;
        this.batchInvariant = batchInvariant;
        this.vocabSize = vocabSize;
        int d = c.embeddingLength();
        x = new float[maxRows * d];
        xn = new float[maxRows * d];
        q = new float[maxRows * c.headCount() * c.keyLength()];
        k = new float[maxRows * c.headCountKv() * c.keyLength()];
        v = new float[maxRows * c.headCountKv() * c.valueLength()];
        att = new float[maxRows * c.headCount() * c.valueLength()];
        out = new float[maxRows * d];
        gate = new float[maxRows * ffWidth];
        up = new float[maxRows * ffWidth];
        cosSin = new float[c.ropeDimensionCount()];
        head = new float[maxRows * d];
        int experts = c.expertCount();
        int used = c.expertUsedCount();
        routerLogits = new float[maxRows * experts];
        chosenExperts = new int[maxRows * used];
        expertWeights = new float[maxRows * used];
        expertRows = new int[experts > 0 ? maxRows : 0];
        expertIn = new float[experts > 0 ? maxRows * d : 0];
        expertOut = new float[experts > 0 ? maxRows * d : 0];
        expertGateUp = new float[experts > 0 ? used * 2 * c.expertFeedForwardLength() : 0];
        expertHidden = new float[experts > 0 ? used * c.expertFeedForwardLength() : 0];
        expertDown = new float[experts > 0 ? used * d : 0];
    }

    /** Logits of the last forward pass: row {@code i} (of the rows that asked) at {@code i * vocabSize}. */
    public float[] logits() {
        return logits;
    }

    public int vocabSize() {
        return vocabSize;
    }

    /** The most rows one pass may hold. */
    public int maxRows() {
        return maxRows;
    }

    public boolean batchInvariant() {
        return batchInvariant;
    }

    float[] logitsFor(int rows) {
        if (logits.length < rows * vocabSize) logits = new float[rows * vocabSize];
        return logits;
    }
}
