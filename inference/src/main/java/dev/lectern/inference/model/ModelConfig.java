package dev.lectern.inference.model;

import dev.lectern.inference.gguf.GgufFormatException;
import dev.lectern.inference.gguf.GgufMetadata;

import java.nio.file.Path;

/**
 * Hyperparameters of a decoder-only transformer, read from the {@code {arch}.*} keys of a GGUF file with the
 * defaults llama.cpp applies when a key is absent.
 *
 * @param architecture        {@code general.architecture}, e.g. {@code llama}, {@code qwen2}
 * @param embeddingLength     model width {@code n_embd}
 * @param blockCount          number of transformer layers
 * @param headCount           query heads
 * @param headCountKv         key/value heads (GQA: {@code headCount} is a multiple of it)
 * @param keyLength           per-head query/key size ({@code n_embd / n_head} unless given)
 * @param valueLength         per-head value size
 * @param feedForwardLength   FFN hidden size (dense models)
 * @param contextLength       context the model was trained for
 * @param ropeDimensionCount  rotated dimensions per head
 * @param ropeFreqBase        RoPE base θ
 * @param ropeScaling         {@code none}, {@code linear} or {@code yarn}
 * @param ropeScalingFactor   context extension factor (1 when none)
 * @param ropeOriginalContext context before extension (YaRN)
 * @param yarnBetaFast        YaRN β_fast (llama.cpp default 32)
 * @param yarnBetaSlow        YaRN β_slow (llama.cpp default 1)
 * @param rmsNormEps          RMSNorm ε
 * @param expertCount         experts per MoE layer (0 for dense)
 * @param expertUsedCount     experts selected per token
 * @param expertFeedForwardLength hidden size of one expert
 * @param slidingWindow       sliding attention window (0 when none)
 */
public record ModelConfig(
        String architecture,
        int embeddingLength,
        int blockCount,
        int headCount,
        int headCountKv,
        int keyLength,
        int valueLength,
        int feedForwardLength,
        int contextLength,
        int ropeDimensionCount,
        float ropeFreqBase,
        String ropeScaling,
        float ropeScalingFactor,
        int ropeOriginalContext,
        float yarnBetaFast,
        float yarnBetaSlow,
        float rmsNormEps,
        int expertCount,
        int expertUsedCount,
        int expertFeedForwardLength,
        int slidingWindow) {

    /** Reads the hyperparameters of {@code architecture} from {@code metadata}; {@code file} is for messages. */
    public static ModelConfig read(Path file, GgufMetadata metadata) {
        String arch = metadata.getString("general.architecture");
        String p = arch + ".";
        int nEmbd = positive(file, metadata, p + "embedding_length", metadata.getInt(p + "embedding_length"));
        int nLayer = positive(file, metadata, p + "block_count", metadata.getInt(p + "block_count"));
        int nHead = positive(file, metadata, p + "attention.head_count", metadata.getInt(p + "attention.head_count"));
        int nHeadKv = positive(file, metadata, p + "attention.head_count_kv",
                metadata.getInt(p + "attention.head_count_kv", nHead));
        if (nHead % nHeadKv != 0) {
            throw new GgufFormatException(file, "'" + p + "attention.head_count' (" + nHead
                    + ") must be a multiple of '" + p + "attention.head_count_kv' (" + nHeadKv + ")");
        }
        if (nEmbd % nHead != 0 && !metadata.contains(p + "attention.key_length")) {
            throw new GgufFormatException(file, "'" + p + "embedding_length' (" + nEmbd + ") is not a multiple of '"
                    + p + "attention.head_count' (" + nHead + ") and '" + p + "attention.key_length' is missing");
        }
        int keyLength = positive(file, metadata, p + "attention.key_length",
                metadata.getInt(p + "attention.key_length", nEmbd / nHead));
        int valueLength = positive(file, metadata, p + "attention.value_length",
                metadata.getInt(p + "attention.value_length", keyLength));
        int nRot = positive(file, metadata, p + "rope.dimension_count",
                metadata.getInt(p + "rope.dimension_count", keyLength));
        if (nRot > keyLength || nRot % 2 != 0) {
            throw new GgufFormatException(file, "'" + p + "rope.dimension_count' is " + nRot
                    + ", expected an even number no larger than the head size " + keyLength);
        }
        int ctx = positive(file, metadata, p + "context_length", metadata.getInt(p + "context_length"));
        String scaling = metadata.getString(p + "rope.scaling.type", "none");
        float factor = metadata.getFloat(p + "rope.scaling.factor", 1f);
        if (!(factor > 0f)) {
            throw new GgufFormatException(file, "'" + p + "rope.scaling.factor' is " + factor + ", expected > 0");
        }
        if (!scaling.equals("none") && !scaling.equals("linear") && !scaling.equals("yarn")) {
            throw new GgufFormatException(file, "'" + p + "rope.scaling.type' is '" + scaling
                    + "', expected none, linear or yarn");
        }
        return new ModelConfig(
                arch, nEmbd, nLayer, nHead, nHeadKv, keyLength, valueLength,
                metadata.getInt(p + "feed_forward_length", 0),
                ctx, nRot,
                metadata.getFloat(p + "rope.freq_base", 10000f),
                scaling, factor,
                metadata.getInt(p + "rope.scaling.original_context_length", ctx),
                metadata.getFloat(p + "rope.scaling.yarn_beta_fast", 32f),
                metadata.getFloat(p + "rope.scaling.yarn_beta_slow", 1f),
                metadata.getFloat(p + "attention.layer_norm_rms_epsilon", 1e-5f),
                metadata.getInt(p + "expert_count", 0),
                metadata.getInt(p + "expert_used_count", 0),
                metadata.getInt(p + "expert_feed_forward_length", 0),
                metadata.getInt(p + "attention.sliding_window", 0));
    }

    private static int positive(Path file, GgufMetadata metadata, String key, int value) {
        if (value <= 0) throw new GgufFormatException(file, "'" + key + "' is " + value + ", expected a positive integer");
        return value;
    }

    /** Query heads per KV head. */
    public int groupSize() {
        return headCount / headCountKv;
    }

    /** The RoPE frequency scale {@code 1/factor} for linear and YaRN scaling, else 1. */
    public float ropeFreqScale() {
        return ropeScaling.equals("none") ? 1f : 1f / ropeScalingFactor;
    }
}
