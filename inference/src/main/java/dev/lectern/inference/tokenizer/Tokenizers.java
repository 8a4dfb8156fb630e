package dev.lectern.inference.tokenizer;

/** Builds the right {@link Tokenizer} for a vocabulary's {@code tokenizer.ggml.model}. */
public final class Tokenizers {

    private Tokenizers() {
    }

    /**
     * A tokenizer for {@code vocabulary}: SentencePiece for {@code llama}, byte-level BPE for {@code gpt2}.
     * WordPiece ({@code bert}) vocabularies are built by {@code WordPieceTokenizer}.
     *
     * @throws VocabularyException when the model kind is not one of these
     */
    public static Tokenizer create(Vocabulary vocabulary) {
        return switch (vocabulary.model()) {
            case "llama" -> new SentencePieceTokenizer(vocabulary);
            case "gpt2" -> new ByteLevelBpeTokenizer(vocabulary);
            default -> throw new VocabularyException(vocabulary.source(), "tokenizer.ggml.model",
                    "'llama' (SentencePiece) or 'gpt2' (byte-level BPE), got '" + vocabulary.model() + "'");
        };
    }
}
