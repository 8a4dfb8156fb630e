package dev.lectern.inference.tokenizer;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A tokenizer's data as GGUF metadata holds it ({@code tokenizer.ggml.*}). Filled by
 * {@code GgufVocabulary} from a model file, or built directly in tests.
 *
 * @param source       where the vocabulary came from (a file name), used in error messages
 * @param model        {@code tokenizer.ggml.model}: {@code llama} (SentencePiece), {@code gpt2} (byte-level BPE), {@code bert}
 * @param pre          {@code tokenizer.ggml.pre}: the pre-tokenizer name for {@code gpt2} ({@code llama-bpe}, {@code qwen2}, {@code gpt-4o} …), may be null
 * @param tokens       {@code tokenizer.ggml.tokens}, indexed by id
 * @param scores       {@code tokenizer.ggml.scores} (SentencePiece merge priorities), may be null
 * @param types        {@code tokenizer.ggml.token_type} codes ({@link TokenType#code()}), may be null (all normal)
 * @param merges       {@code tokenizer.ggml.merges} ({@code "left right"}, best first), may be null
 * @param bosId        {@code tokenizer.ggml.bos_token_id} or {@link Tokenizer#NO_TOKEN}
 * @param eosId        {@code tokenizer.ggml.eos_token_id} or {@link Tokenizer#NO_TOKEN}
 * @param eotId        {@code tokenizer.ggml.eot_token_id} or {@link Tokenizer#NO_TOKEN}
 * @param unknownId    {@code tokenizer.ggml.unknown_token_id} or {@link Tokenizer#NO_TOKEN}
 * @param paddingId    {@code tokenizer.ggml.padding_token_id} or {@link Tokenizer#NO_TOKEN}
 * @param addBos       {@code tokenizer.ggml.add_bos_token}
 * @param addEos       {@code tokenizer.ggml.add_eos_token}
 * @param addSpacePrefix {@code tokenizer.ggml.add_space_prefix} (SentencePiece: prefix the text with a space)
 * @param chatTemplate {@code tokenizer.chat_template}, may be null
 */
public record Vocabulary(
        String source,
        String model,
        String pre,
        List<String> tokens,
        float[] scores,
        int[] types,
        List<String> merges,
        int bosId,
        int eosId,
        int eotId,
        int unknownId,
        int paddingId,
        boolean addBos,
        boolean addEos,
        boolean addSpacePrefix,
        String chatTemplate) {

    public Vocabulary {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokens, "tokens");
        int n = tokens.size();
        if (n == 0) {
            throw new VocabularyException(source, "tokenizer.ggml.tokens", "a non-empty array of strings, got an empty one");
        }
        if (scores != null && scores.length != n) {
            throw new VocabularyException(source, "tokenizer.ggml.scores",
                    "one score per token (" + n + "), got " + scores.length);
        }
        if (types != null && types.length != n) {
            throw new VocabularyException(source, "tokenizer.ggml.token_type",
                    "one type per token (" + n + "), got " + types.length);
        }
        if (types != null) {
            for (int i = 0; i < n; i++) {
                if (TokenType.ofCode(types[i]) == null) {
                    throw new VocabularyException(source, "tokenizer.ggml.token_type",
                            "a token type 0..6, got " + types[i] + " for token " + i);
                }
            }
        }
        checkId(source, "tokenizer.ggml.bos_token_id", bosId, n);
        checkId(source, "tokenizer.ggml.eos_token_id", eosId, n);
        checkId(source, "tokenizer.ggml.eot_token_id", eotId, n);
        checkId(source, "tokenizer.ggml.unknown_token_id", unknownId, n);
        checkId(source, "tokenizer.ggml.padding_token_id", paddingId, n);
    }

    private static void checkId(String source, String key, int id, int n) {
        if (id != Tokenizer.NO_TOKEN && (id < 0 || id >= n)) {
            throw new VocabularyException(source, key, "a token id in 0.." + (n - 1) + ", got " + Integer.toUnsignedString(id));
        }
    }

    /** Number of tokens. */
    public int size() {
        return tokens.size();
    }

    /** The type of token {@code id} ({@link TokenType#NORMAL} when the vocabulary has no types). */
    public TokenType type(int id) {
        return types == null ? TokenType.NORMAL : TokenType.ofCode(types[id]);
    }

    /** The score of token {@code id} (0 when the vocabulary has no scores). */
    public float score(int id) {
        return scores == null ? 0f : scores[id];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && source.equals(v.source) && model.equals(v.model)
                && Objects.equals(pre, v.pre) && tokens.equals(v.tokens) && Arrays.equals(scores, v.scores)
                && Arrays.equals(types, v.types) && Objects.equals(merges, v.merges) && bosId == v.bosId
                && eosId == v.eosId && eotId == v.eotId && unknownId == v.unknownId && paddingId == v.paddingId
                && addBos == v.addBos && addEos == v.addEos && addSpacePrefix == v.addSpacePrefix
                && Objects.equals(chatTemplate, v.chatTemplate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, model, pre, tokens.size(), bosId, eosId);
    }

    @Override
    public String toString() {
        return "Vocabulary[" + source + ", model=" + model + ", pre=" + pre + ", " + tokens.size() + " tokens]";
    }
}
