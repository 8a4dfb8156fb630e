package dev.lectern.bench.llm;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.gguf.GgufTensor;
import dev.lectern.inference.model.ModelConfig;

/**
 * The work a forward pass of a decoder model does, counted from its GGUF file: bytes of weights a decode step must
 * read, and floating-point operations of a prefill. The ratios in the tables divide these by measured time.
 *
 * @param decodeBytes     bytes read per decode step: every block weight, the output projection (the token embedding
 *                        when tied), norms and biases, and one embedding row. KV-cache reads are left out: at the
 *                        short contexts measured they are below 0.5 % of the weights.
 * @param layerFlops      FLOP per token of the blocks' matrix products (2 per weight)
 * @param outputFlops     FLOP of one row of vocabulary logits
 * @param attentionFlops  FLOP per token per attended position (Q·K and the weighted sum of V, all layers and heads)
 */
public record Workload(long decodeBytes, long layerFlops, long outputFlops, long attentionFlops) {

    public static Workload of(GgufFile file, ModelConfig c) {
        boolean tied = !file.hasTensor("output.weight");
        long bytes = 0;
        long layerFlops = 0;
        long outputFlops = 0;
        for (GgufTensor t : file.tensors()) {
            long size = t.data().byteSize();
            if (t.name().equals("token_embd.weight")) {
                bytes += tied ? size : size / t.dim(1);
                if (tied) outputFlops = 2 * t.elementCount();
            } else if (t.name().equals("output.weight")) {
                bytes += size;
                outputFlops = 2 * t.elementCount();
            } else {
                bytes += size;
                if (t.nDims() >= 2) layerFlops += 2 * t.elementCount();
            }
        }
        long attention = 2L * c.blockCount() * c.headCount() * (c.keyLength() + c.valueLength());
        return new Workload(bytes, layerFlops, outputFlops, attention);
    }

    /** FLOP of a prefill of {@code n} tokens into an empty cache, with logits for the last one only. */
    public double prefillFlops(int n) {
        double attended = (double) n * (n + 1) / 2; // token p attends to p + 1 positions
        return (double) n * layerFlops + outputFlops + attended * attentionFlops;
    }
}
