package dev.lectern.inference.tokenizer;

/** A vocabulary that cannot be used: names the file, the metadata key and what was expected. */
public final class VocabularyException extends IllegalArgumentException {

    private final String source;
    private final String key;

    public VocabularyException(String source, String key, String expected) {
        super(source + ": " + key + ": expected " + expected);
        this.source = source;
        this.key = key;
    }

    /** The file (or other source) of the vocabulary. */
    public String source() {
        return source;
    }

    /** The metadata key at fault. */
    public String key() {
        return key;
    }
}
