package dev.lectern.inference.bert;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.gguf.GgufFormatException;
import dev.lectern.inference.gguf.GgufMetadata;
import dev.lectern.inference.gguf.GgufTensor;
import dev.lectern.inference.tensor.Matrix;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link BertModel} from a GGUF file of architecture {@code bert}, as llama.cpp's converter writes it:
 * hyperparameters under {@code bert.*}, tensors {@code token_embd}, {@code position_embd}, {@code token_types},
 * {@code token_embd_norm} and per layer {@code blk.N.attn_q/k/v}, {@code attn_output}, {@code attn_output_norm},
 * {@code ffn_up}, {@code ffn_down}, {@code layer_output_norm}. Matrices stay in the mapped file in their own type
 * (F32, F16, quantized): ggml's [in, out] shape is the kernels' [out rows × in columns] layout, so nothing is copied.
 */
public final class GgufBertLoader {
    public static final String ARCHITECTURE = "bert";

    private final GgufFile file;

    private GgufBertLoader(GgufFile file) {
        this.file = file;
    }

    /** @throws GgufFormatException naming the file and the key or tensor when it is not a BERT encoder */
    public static BertModel load(GgufFile file) {
        return new GgufBertLoader(file).load();
    }

    /** The pooling the file asks for ({@code bert.pooling_type}: 1 mean, 2 the [CLS] token); mean when absent. */
    public static int poolingType(GgufFile file) {
        return file.metadata().getInt(ARCHITECTURE + ".pooling_type", 1);
    }

    private BertModel load() {
        GgufMetadata metadata = file.metadata();
        String architecture = metadata.getString("general.architecture", null);
        if (!ARCHITECTURE.equals(architecture)) {
            throw error("general.architecture is " + (architecture == null ? "missing" : "'" + architecture + "'")
                    + ", expected 'bert'");
        }
        if (metadata.getBoolean("bert.attention.causal", false)) {
            throw error("bert.attention.causal is true; a BERT encoder attends in both directions");
        }
        int hidden = metadata.getInt("bert.embedding_length");
        int layerCount = metadata.getInt("bert.block_count");
        int heads = metadata.getInt("bert.attention.head_count");
        int intermediate = metadata.getInt("bert.feed_forward_length");
        float eps = metadata.getFloat("bert.attention.layer_norm_epsilon");
        GgufTensor words = file.tensor("token_embd.weight");
        GgufTensor positions = file.tensor("position_embd.weight");
        GgufTensor types = file.tensor("token_types.weight");
        BertConfig config;
        try {
            config = new BertConfig((int) words.dim(words.nDims() - 1), hidden, layerCount, heads, intermediate,
                    (int) positions.dim(positions.nDims() - 1), (int) types.dim(types.nDims() - 1), eps);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
        List<BertLayer> layers = new ArrayList<>(layerCount);
        for (int i = 0; i < layerCount; i++) {
            layers.add(layer("blk." + i + ".", hidden, intermediate, eps));
        }
        return new BertModel(file.path().toString(), config,
                matrix(words, hidden, config.vocabularySize()),
                matrix(positions, hidden, config.maxPositions()),
                matrix(types, hidden, config.typeVocabularySize()),
                layerNorm("token_embd_norm", hidden, eps), layers);
    }

    private BertLayer layer(String p, int h, int f, float eps) {
        return new BertLayer(
                matrix(p + "attn_q.weight", h, h), vector(p + "attn_q.bias", h),
                matrix(p + "attn_k.weight", h, h), vector(p + "attn_k.bias", h),
                matrix(p + "attn_v.weight", h, h), vector(p + "attn_v.bias", h),
                matrix(p + "attn_output.weight", h, h), vector(p + "attn_output.bias", h),
                layerNorm(p + "attn_output_norm", h, eps),
                matrix(p + "ffn_up.weight", h, f), vector(p + "ffn_up.bias", f),
                matrix(p + "ffn_down.weight", f, h), vector(p + "ffn_down.bias", h),
                layerNorm(p + "layer_output_norm", h, eps));
    }

    /** A weight of ggml shape [in, out]: {@code out} rows of {@code in} values. */
    private Matrix matrix(String name, int in, int out) {
        return matrix(file.tensor(name), in, out);
    }

    private static Matrix matrix(GgufTensor tensor, int in, int out) {
        return tensor.requireShape(in, out).matrix();
    }

    private float[] vector(String name, int size) {
        return file.tensor(name).requireShape(size).toFloatArray();
    }

    private LayerNorm layerNorm(String prefix, int size, float eps) {
        return new LayerNorm(vector(prefix + ".weight", size), vector(prefix + ".bias", size), eps);
    }

    private GgufFormatException error(String detail) {
        return new GgufFormatException(file.path(), detail);
    }
}
