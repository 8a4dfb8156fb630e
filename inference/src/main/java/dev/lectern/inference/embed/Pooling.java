package dev.lectern.inference.embed;

/** How a sentence vector is made from the encoder's token vectors. */
public enum Pooling {
    /** The mean over every token, [CLS] and [SEP] included (sentence-transformers' default, all-MiniLM-L6-v2). */
    MEAN,
    /** The [CLS] token's vector (BGE and other models trained for it). */
    CLS;

    /** The pooling of GGUF {@code <arch>.pooling_type} (llama.cpp's numbering: 1 mean, 2 cls). */
    public static Pooling ofGgufType(int type, String source) {
        return switch (type) {
            case 1 -> MEAN;
            case 2 -> CLS;
            default -> throw new IllegalArgumentException(source + ": bert.pooling_type is " + type
                    + ", expected 1 (mean) or 2 (cls); other poolings are not supported");
        };
    }
}
