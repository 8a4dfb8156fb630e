package dev.lectern.inference.tokenizer;

/** Builds the right {@link Tokenizer} for a vocabulary's {@code tokenizer.ggml.model}. */
public final class Tokenizers {

    private Tokenizers() {
    }

    /**
     * A tokenizer for {@code vocabulary}: SentencePiece for {@code llama}, byte-level BPE for {@code gpt2},
     * WordPiece for {@code bert} (truncating at {@link WordPieceTokenizerLoader#DEFAULT_MAX_LENGTH}).
     *
     * @throws VocabularyException when the model kind is not one of these
     */
    public static Tokenizer create(Vocabulary vocabulary) {
        return create(vocabulary, WordPieceTokenizerLoader.DEFAULT_MAX_LENGTH);
    }

    /**
     * As {@link #create(Vocabulary)}, with the model's context length as WordPiece's truncation limit
     * (encoder models cannot take longer inputs; the generative tokenizers never truncate).
     */
    public static Tokenizer create(Vocabulary vocabulary, int contextLength) {
        return switch (vocabulary.model()) {
            case "llama" -> new SentencePieceTokenizer(vocabulary);
            case "gpt2" -> new ByteLevelBpeTokenizer(vocabulary);
            case "bert" -> WordPieceTokenizerLoader.fromVocabulary(vocabulary, contextLength);
            default -> throw new VocabularyException(vocabulary.source(), "tokenizer.ggml.model",
                    "'llama' (SentencePiece), 'gpt2' (byte-level BPE) or 'bert' (WordPiece), got '" + vocabulary.model() + "'");
        };
    }
}
