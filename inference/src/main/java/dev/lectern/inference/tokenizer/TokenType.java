package dev.lectern.inference.tokenizer;

/** Token types as GGUF stores them in {@code tokenizer.ggml.token_type} (llama.cpp's numbering). */
public enum TokenType {
    UNDEFINED(0), NORMAL(1), UNKNOWN(2), CONTROL(3), USER_DEFINED(4), UNUSED(5), BYTE(6);

    private final int code;

    TokenType(int code) {
        this.code = code;
    }

    /** The value stored in GGUF. */
    public int code() {
        return code;
    }

    /** The type for a GGUF code, or null when the code is not one of the known values. */
    public static TokenType ofCode(int code) {
        for (TokenType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
