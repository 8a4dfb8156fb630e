package dev.lectern.inference.tokenizer;

/**
 * Text to token ids and back, for one model's vocabulary.
 *
 * <p>Implementations: {@link SentencePieceTokenizer} (GGUF {@code tokenizer.ggml.model = llama}),
 * {@link ByteLevelBpeTokenizer} ({@code gpt2}) and the WordPiece tokenizer ({@code bert}).
 * Instances are immutable and safe to share between threads.
 */
public interface Tokenizer {

    /** Returned by the id accessors when the vocabulary has no such token. */
    int NO_TOKEN = -1;

    /** Number of tokens in the vocabulary (ids are {@code 0 .. vocabularySize()-1}). */
    int vocabularySize();

    /**
     * Tokenizes {@code text}.
     *
     * @param addSpecial   add the tokens the model wants around a sequence (BOS and/or EOS, as its
     *                     metadata says; [CLS]/[SEP] for WordPiece)
     * @param parseSpecial recognise control tokens written in the text (such as {@code <|im_start|>})
     *                     as single tokens; when false they are tokenized as ordinary text
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /**
     * The text of {@code ids} with control tokens (BOS, EOS, {@code <|im_end|>} …) left out, bytes that
     * do not form valid UTF-8 replaced by U+FFFD.
     */
    String decode(int[] ids);

    /** The token's text exactly as the vocabulary stores it ({@code "▁Hello"}, {@code "Ġworld"}, {@code "<|eot_id|>"}). */
    String piece(int id);

    /**
     * The bytes token {@code id} contributes to generated text: byte tokens give their byte, the
     * SentencePiece {@code ▁} becomes a space, byte-level BPE characters map back to their bytes, and
     * control tokens give their own text. A token may hold part of a UTF-8 character; use
     * {@link #newDecoder()} to turn a stream of tokens into text.
     */
    byte[] tokenBytes(int id);

    /** The id of the token whose {@link #piece} is exactly {@code piece}, or {@link #NO_TOKEN}. */
    int tokenId(String piece);

    /** Beginning-of-sequence id (CLS for WordPiece), or {@link #NO_TOKEN}. */
    int bosId();

    /** End-of-sequence id (SEP for WordPiece), or {@link #NO_TOKEN}. */
    int eosId();

    /** True for tokens that end a generated turn: EOS, EOT ({@code <|eot_id|>}), {@code <|im_end|>}, {@code <|return|>} … */
    boolean isEndOfGeneration(int id);

    /** True for control tokens (BOS, EOS, chat markers), which {@link #decode} leaves out. */
    boolean isControl(int id);

    /** A fresh streaming decoder that emits only complete characters; one per generation. */
    default StreamingDecoder newDecoder() {
        return new StreamingDecoder(this);
    }
}
