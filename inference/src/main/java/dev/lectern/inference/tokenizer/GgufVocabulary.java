package dev.lectern.inference.tokenizer;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.gguf.GgufMetadata;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reads a {@link Vocabulary} from a GGUF file's {@code tokenizer.ggml.*} metadata. */
public final class GgufVocabulary {

    private static final String PREFIX = "tokenizer.ggml.";

    private GgufVocabulary() {
    }

    /** The vocabulary of an opened GGUF file. */
    public static Vocabulary read(GgufFile file) {
        return read(file.metadata(), file.path().getFileName().toString());
    }

    /** Opens {@code path} (mapped, shared) and reads its vocabulary. */
    public static Vocabulary read(Path path) {
        return read(GgufFile.open(path));
    }

    /** The tokenizer of an opened GGUF file (WordPiece truncates at the model's {@code <arch>.context_length}). */
    public static Tokenizer tokenizer(GgufFile file) {
        GgufMetadata metadata = file.metadata();
        String arch = metadata.getString("general.architecture", null);
        int contextLength = arch == null ? WordPieceTokenizerLoader.DEFAULT_MAX_LENGTH
                : metadata.getInt(arch + ".context_length", WordPieceTokenizerLoader.DEFAULT_MAX_LENGTH);
        return Tokenizers.create(read(file), contextLength);
    }

    /**
     * The vocabulary from GGUF metadata. Defaults follow llama.cpp: SentencePiece vocabularies add BOS
     * and a space prefix unless told otherwise; byte-level ones add BOS only for the Llama 3 family.
     *
     * @param source the file name, for error messages
     */
    public static Vocabulary read(GgufMetadata metadata, String source) {
        String model = metadata.getString(PREFIX + "model", null);
        if (model == null) {
            throw new VocabularyException(source, PREFIX + "model", "the tokenizer kind (llama, gpt2 or bert), but the key is missing");
        }
        if (!metadata.contains(PREFIX + "tokens")) {
            throw new VocabularyException(source, PREFIX + "tokens", "an array of token strings, but the key is missing");
        }
        List<String> tokens = Arrays.asList(metadata.getStringArray(PREFIX + "tokens"));
        float[] scores = metadata.contains(PREFIX + "scores") ? metadata.getFloatArray(PREFIX + "scores") : null;
        int[] types = metadata.contains(PREFIX + "token_type") ? metadata.getIntArray(PREFIX + "token_type") : null;
        List<String> merges = metadata.contains(PREFIX + "merges") ? Arrays.asList(metadata.getStringArray(PREFIX + "merges")) : null;
        String pre = metadata.getString(PREFIX + "pre", null);

        boolean spm = model.equals("llama");
        boolean llama3Family = pre != null && List.of("llama-bpe", "llama3", "llama-v3", "falcon3", "pixtral", "smaug-bpe", "dbrx").contains(pre);
        boolean addBos = metadata.getBoolean(PREFIX + "add_bos_token", spm || llama3Family || model.equals("bert"));
        boolean addEos = metadata.getBoolean(PREFIX + "add_eos_token", model.equals("bert"));
        boolean addSpacePrefix = metadata.getBoolean(PREFIX + "add_space_prefix", spm);

        return new Vocabulary(source, model, pre, tokens, scores, types, merges,
                id(metadata, "bos_token_id", source), id(metadata, "eos_token_id", source), id(metadata, "eot_token_id", source),
                id(metadata, "unknown_token_id", source), id(metadata, "padding_token_id", source),
                addBos, addEos, addSpacePrefix, metadata.getString("tokenizer.chat_template", null));
    }

    private static int id(GgufMetadata metadata, String key, String source) {
        String full = PREFIX + key;
        if (!metadata.contains(full)) {
            return Tokenizer.NO_TOKEN;
        }
        long id = metadata.getLong(full);
        // llama.cpp writes -1 (or 0xFFFFFFFF as uint32) for "no such token".
        if (id == -1 || id == 0xFFFFFFFFL) {
            return Tokenizer.NO_TOKEN;
        }
        if (id < 0 || id > Integer.MAX_VALUE) {
            throw new VocabularyException(source, full, "a token id, got " + id);
        }
        return (int) id;
    }
}
