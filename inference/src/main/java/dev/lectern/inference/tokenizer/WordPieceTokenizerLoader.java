package dev.lectern.inference.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link WordPieceTokenizer} from a Hugging Face {@code tokenizer.json} or from a GGUF {@code bert}
 * vocabulary. Only the BERT pipeline is accepted ({@code BertNormalizer} or none, {@code BertPreTokenizer},
 * {@code WordPiece}); anything else is an error naming the file and the field, because tokenizing differently from
 * the model's training would silently give wrong embeddings.
 */
public final class WordPieceTokenizerLoader {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The length of BERT's position table, used when a file states no truncation. */
    public static final int DEFAULT_MAX_LENGTH = 512;
    /** How llama.cpp's converter marks the start of a word in a GGUF {@code bert} vocabulary. */
    private static final String GGUF_WORD_START = "\u2581";

    private WordPieceTokenizerLoader() {
    }

    public static WordPieceTokenizer fromTokenizerJson(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return fromTokenizerJson(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(file + ": no such tokenizer file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the tokenizer file", e);
        }
    }

    /** Reads a {@code tokenizer.json} from a stream; {@code source} names it in error messages. */
    public static WordPieceTokenizer fromTokenizerJson(InputStream in, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw new VocabularyException(source, "(file)", "valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": cannot read the tokenizer file", e);
        }
        if (root == null || !root.isObject()) {
            throw new VocabularyException(source, "(file)", "a JSON object (a Hugging Face tokenizer.json)");
        }
        JsonNode model = root.path("model");
        expectType(source, model, "model", "WordPiece");
        String[] pieces = vocabulary(source, model.path("vocab"));
        JsonNode normalizer = root.path("normalizer");
        boolean bertNormalizer = !normalizer.isMissingNode() && !normalizer.isNull();
        if (bertNormalizer) {
            expectType(source, normalizer, "normalizer", "BertNormalizer");
        }
        boolean lowercase = bertNormalizer && flag(source, normalizer, "lowercase", true);
        WordPieceTokenizerOptions options = new WordPieceTokenizerOptions(
                bertNormalizer && flag(source, normalizer, "clean_text", true),
                bertNormalizer && flag(source, normalizer, "handle_chinese_chars", true),
                bertNormalizer && flag(source, normalizer, "strip_accents", lowercase), // null follows lowercase
                lowercase,
                positiveInt(source, model, "model", "max_input_chars_per_word", 100),
                maxLength(source, root));
        JsonNode preTokenizer = root.path("pre_tokenizer");
        if (!preTokenizer.isMissingNode() && !preTokenizer.isNull()) {
            expectType(source, preTokenizer, "pre_tokenizer", "BertPreTokenizer");
        }
        String prefix = model.path("continuing_subword_prefix").asText(WordPieceTokenizer.CONTINUATION_PREFIX);
        if (!WordPieceTokenizer.CONTINUATION_PREFIX.equals(prefix)) {
            throw new VocabularyException(source, "model.continuing_subword_prefix",
                    "'" + WordPieceTokenizer.CONTINUATION_PREFIX + "', got '" + prefix + "'");
        }
        int unk = idOf(source, pieces, model.path("unk_token").asText("[UNK]"), "model.unk_token");
        int cls = idOf(source, pieces, templateToken(root, 0, "[CLS]"), "post_processor.single[0]");
        int sep = idOf(source, pieces, templateToken(root, -1, "[SEP]"), "post_processor.single[-1]");
        int pad = optionalIdOf(pieces, root.path("padding").path("pad_token").asText("[PAD]"));
        int[] types = new int[pieces.length];
        Arrays.fill(types, TokenType.NORMAL.code());
        for (int id : specialIds(root, pieces)) {
            types[id] = TokenType.CONTROL.code();
        }
        types[unk] = TokenType.UNKNOWN.code();
        Vocabulary vocabulary = new Vocabulary(source, "bert", null, List.of(pieces), null, types, null,
                cls, sep, Tokenizer.NO_TOKEN, unk, pad, true, true, false, null);
        return new WordPieceTokenizer(vocabulary, pieces, options, cls, sep);
    }

    /**
     * A tokenizer for a GGUF {@code bert} vocabulary ({@code tokenizer.ggml.model = bert}). llama.cpp's converter
     * stores word starts with a leading {@code ▁} and continuations bare (HF's {@code ##} removed); control tokens
     * such as {@code [CLS]} keep their text. The normalizer is bert-base-uncased's, as llama.cpp applies it.
     *
     * @param maxLength the model's context length (GGUF {@code bert.context_length}), the truncation limit
     */
    public static WordPieceTokenizer fromVocabulary(Vocabulary vocabulary, int maxLength) {
        if (!"bert".equals(vocabulary.model())) {
            throw new VocabularyException(vocabulary.source(), "tokenizer.ggml.model",
                    "'bert' for a WordPiece vocabulary, got '" + vocabulary.model() + "'");
        }
        String[] wordPieces = new String[vocabulary.size()];
        for (int id = 0; id < wordPieces.length; id++) {
            String stored = vocabulary.tokens().get(id);
            TokenType type = vocabulary.type(id);
            if (stored.startsWith(GGUF_WORD_START) && stored.length() > GGUF_WORD_START.length()) {
                wordPieces[id] = stored.substring(GGUF_WORD_START.length());
            } else if (type == TokenType.NORMAL && !stored.isEmpty()) {
                wordPieces[id] = WordPieceTokenizer.CONTINUATION_PREFIX + stored;
            } else {
                wordPieces[id] = stored;
            }
        }
        int cls = vocabulary.bosId() != Tokenizer.NO_TOKEN ? vocabulary.bosId() : requireToken(vocabulary, "[CLS]", "cls");
        int sep = vocabulary.eosId() != Tokenizer.NO_TOKEN ? vocabulary.eosId() : requireToken(vocabulary, "[SEP]", "seperator");
        return new WordPieceTokenizer(vocabulary, wordPieces, WordPieceTokenizerOptions.uncased(maxLength), cls, sep);
    }

    private static int requireToken(Vocabulary vocabulary, String text, String keyPart) {
        int id = vocabulary.tokens().indexOf(text);
        if (id < 0) {
            throw new VocabularyException(vocabulary.source(), "tokenizer.ggml." + keyPart + "_token_id",
                    "an id, or a " + text + " token in tokenizer.ggml.tokens");
        }
        return id;
    }

    /** The vocabulary as an id-indexed array; ids must be exactly 0 … n-1. */
    private static String[] vocabulary(String source, JsonNode vocab) {
        if (!vocab.isObject() || vocab.isEmpty()) {
            throw new VocabularyException(source, "model.vocab", "a non-empty object of piece → id");
        }
        String[] pieces = new String[vocab.size()];
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode id = entry.getValue();
            if (!id.canConvertToInt() || id.intValue() < 0 || id.intValue() >= pieces.length || pieces[id.intValue()] != null) {
                throw new VocabularyException(source, "model.vocab['" + entry.getKey() + "']",
                        "a unique id in 0.." + (pieces.length - 1) + ", got " + id);
            }
            pieces[id.intValue()] = entry.getKey();
        }
        return pieces;
    }

    private static boolean flag(String source, JsonNode normalizer, String field, boolean absentValue) {
        JsonNode value = normalizer.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return absentValue;
        }
        if (!value.isBoolean()) {
            throw new VocabularyException(source, "normalizer." + field, "true, false or null, got " + value);
        }
        return value.booleanValue();
    }

    private static int maxLength(String source, JsonNode root) {
        JsonNode truncation = root.path("truncation");
        if (truncation.isMissingNode() || truncation.isNull()) {
            return DEFAULT_MAX_LENGTH;
        }
        String direction = truncation.path("direction").asText("Right");
        if (!"Right".equals(direction)) {
            throw new VocabularyException(source, "truncation.direction", "'Right', got '" + direction + "'");
        }
        return positiveInt(source, truncation, "truncation", "max_length", DEFAULT_MAX_LENGTH);
    }

    private static int positiveInt(String source, JsonNode parent, String parentPath, String field, int absentValue) {
        JsonNode value = parent.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return absentValue;
        }
        if (!value.canConvertToInt() || value.intValue() < 1) {
            throw new VocabularyException(source, parentPath + "." + field, "a positive integer, got " + value);
        }
        return value.intValue();
    }

    /** The special token at one end of the single-sequence template (first or last), or {@code fallback}. */
    private static String templateToken(JsonNode root, int position, String fallback) {
        JsonNode single = root.path("post_processor").path("single");
        if (!single.isArray() || single.isEmpty()) {
            return fallback;
        }
        JsonNode item = single.get(position < 0 ? single.size() + position : position);
        return item.path("SpecialToken").path("id").asText(fallback);
    }

    /** The ids of {@code added_tokens} marked special ([PAD], [UNK], [CLS], [SEP], [MASK]). */
    private static Set<Integer> specialIds(JsonNode root, String[] pieces) {
        Set<Integer> ids = new HashSet<>();
        for (JsonNode added : root.path("added_tokens")) {
            int id = added.path("id").asInt(-1);
            if (added.path("special").asBoolean(false) && id >= 0 && id < pieces.length
                    && pieces[id].equals(added.path("content").asText())) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static int idOf(String source, String[] pieces, String piece, String field) {
        int id = optionalIdOf(pieces, piece);
        if (id == Tokenizer.NO_TOKEN) {
            throw new VocabularyException(source, field, "a token of model.vocab, got '" + piece + "'");
        }
        return id;
    }

    private static int optionalIdOf(String[] pieces, String piece) {
        for (int id = 0; id < pieces.length; id++) {
            if (pieces[id].equals(piece)) {
                return id;
            }
        }
        return Tokenizer.NO_TOKEN;
    }

    private static void expectType(String source, JsonNode node, String field, String expected) {
        String type = node.path("type").asText(null);
        if (!expected.equals(type)) {
            throw new VocabularyException(source, field + ".type",
                    "'" + expected + "', got " + (type == null ? "nothing" : "'" + type + "'"));
        }
    }
}
