/**
 * Decoder-only transformers over GGUF weights: hyperparameters ({@link dev.lectern.inference.model.ModelConfig}),
 * the shared operations (RMSNorm, RoPE with rope_freqs and YaRN, grouped-query attention with sinks and sliding
 * windows over an F32 KV cache, SwiGLU), and one class per architecture: {@link dev.lectern.inference.model.Llama},
 * {@link dev.lectern.inference.model.Qwen2}, {@link dev.lectern.inference.model.Qwen3},
 * {@link dev.lectern.inference.model.GptOss}. A forward pass runs a {@link dev.lectern.inference.model.Batch} of
 * (sequence, position, token) rows as matrices, computing logits only for the rows that ask.
 */
package dev.lectern.inference.model;
