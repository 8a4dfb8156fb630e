package dev.lectern.inference.tokenizer;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BERT's WordPiece tokenizer, as Hugging Face {@code tokenizers} runs it for a {@code tokenizer.json} with a
 * {@code BertNormalizer}, a {@code BertPreTokenizer} and a {@code WordPiece} model:
 * <ol>
 *   <li>normalize: delete control and format characters, turn whitespace into spaces, put spaces around CJK
 *       ideographs, strip accents (NFD, then drop non-spacing marks), lower-case;</li>
 *   <li>split into words on whitespace, and make every punctuation character a word of its own;</li>
 *   <li>cut each word greedily into the longest vocabulary pieces from the left, later pieces carrying the
 *       {@code ##} prefix; a word with no such cut, or longer than {@link #maxInputCharsPerWord()}, is one
 *       {@code [UNK]}.</li>
 * </ol>
 * {@link #encodeForModel} adds {@code [CLS] … [SEP]} and truncates to {@link #maxLength()} pieces, as the encoder
 * expects. Special-token text written in the input (a literal "[SEP]") is ordinary text unless {@code parseSpecial}
 * is asked for, so a document cannot inject control tokens. Instances are immutable and safe to share between threads.
 * Built by {@link WordPieceTokenizerLoader} from a {@code tokenizer.json} or a GGUF {@code bert} vocabulary.
 */
public final class WordPieceTokenizer implements Tokenizer {
    /** The prefix of pieces that continue a word. */
    public static final String CONTINUATION_PREFIX = "##";

    private final Vocabulary vocabulary;
    private final String[] wordPieces;
    private final Map<String, Integer> wordStarts;
    private final Map<String, Integer> continuations;
    private final Map<String, Integer> idsByStoredPiece;
    private final SpecialTokenSplitter splitter;
    private final WordPieceTokenizerOptions options;
    private final int clsId;
    private final int sepId;

    /**
     * @param vocabulary the pieces as the file stores them (what {@link #piece} returns), with token types that
     *                   mark the special tokens
     * @param wordPieces the same pieces in WordPiece form: continuations carry {@code ##}, word starts nothing
     */
    WordPieceTokenizer(Vocabulary vocabulary, String[] wordPieces, WordPieceTokenizerOptions options, int clsId, int sepId) {
        if (wordPieces.length != vocabulary.size()) {
            throw new IllegalArgumentException("one WordPiece form per token: " + wordPieces.length + " for " + vocabulary.size());
        }
        if (vocabulary.unknownId() == NO_TOKEN) {
            throw new VocabularyException(vocabulary.source(), "unknown token", "an [UNK] token for words without pieces");
        }
        this.vocabulary = vocabulary;
        this.wordPieces = wordPieces.clone();
        this.options = options;
        this.clsId = clsId;
        this.sepId = sepId;
        this.wordStarts = HashMap.newHashMap(wordPieces.length);
        this.continuations = HashMap.newHashMap(wordPieces.length / 4);
        this.idsByStoredPiece = HashMap.newHashMap(wordPieces.length);
        // The first id of a piece wins, as in a piece-to-id map built in id order.
        for (int id = 0; id < wordPieces.length; id++) {
            String piece = wordPieces[id];
            if (isContinuation(piece)) {
                continuations.putIfAbsent(piece.substring(CONTINUATION_PREFIX.length()), id);
            } else {
                wordStarts.putIfAbsent(piece, id);
            }
            idsByStoredPiece.putIfAbsent(vocabulary.tokens().get(id), id);
        }
        this.splitter = new SpecialTokenSplitter(vocabulary);
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        IntList ids = new IntList();
        if (addSpecial) {
            ids.add(clsId);
        }
        splitter.split(text, parseSpecial, new SpecialTokenSplitter.Sink() {
            @Override
            public void text(String fragment) {
                appendPieces(fragment, ids);
            }

            @Override
            public void token(int id) {
                ids.add(id);
            }
        });
        if (addSpecial) {
            ids.add(sepId);
        }
        return ids.toArray();
    }

    /** The word pieces of {@code text}: no special tokens, no truncation, special-token text read as plain text. */
    public int[] encode(String text) {
        IntList ids = new IntList();
        appendPieces(text, ids);
        return ids.toArray();
    }

    /**
     * The model input for {@code text}: {@code [CLS] pieces [SEP]}, the pieces cut at the end so that the whole fits
     * {@link #maxLength()} (tokenizers' right truncation of a single sequence).
     */
    public int[] encodeForModel(String text) {
        int[] body = encode(text);
        int keep = Math.min(body.length, maxPiecesPerSequence());
        int[] ids = new int[keep + 2];
        ids[0] = clsId;
        System.arraycopy(body, 0, ids, 1, keep);
        ids[keep + 1] = sepId;
        return ids;
    }

    /** How many pieces {@code text} gives without special tokens and without truncation. */
    public int countTokens(String text) {
        return encode(text).length;
    }

    /** The longest sequence the model accepts, special tokens included. */
    public int maxLength() {
        return options.maxLength();
    }

    /** The most word pieces one sequence can hold besides {@code [CLS]} and {@code [SEP]}. */
    public int maxPiecesPerSequence() {
        return options.maxLength() - 2;
    }

    public int maxInputCharsPerWord() {
        return options.maxInputCharsPerWord();
    }

    @Override
    public int vocabularySize() {
        return wordPieces.length;
    }

    /** The piece as the file stores it: {@code ##ing} from a tokenizer.json, {@code ing} and {@code ▁word} from GGUF. */
    @Override
    public String piece(int id) {
        checkId(id);
        return vocabulary.tokens().get(id);
    }

    /** The piece in WordPiece form: word starts bare, continuations with {@code ##}. */
    public String wordPiece(int id) {
        checkId(id);
        return wordPieces[id];
    }

    @Override
    public int tokenId(String piece) {
        Integer id = idsByStoredPiece.get(piece);
        return id == null ? NO_TOKEN : id;
    }

    /** A word start gives a space and its text, a continuation its text without {@code ##}, a control token its text. */
    @Override
    public byte[] tokenBytes(int id) {
        checkId(id);
        String piece = wordPieces[id];
        String text = isControl(id) ? piece
                : isContinuation(piece) ? piece.substring(CONTINUATION_PREFIX.length()) : " " + piece;
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The pieces joined back into (normalized) text: continuations glued to their word, control tokens left out. */
    @Override
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder();
        for (int id : ids) {
            if (!isControl(id)) {
                text.append(new String(tokenBytes(id), StandardCharsets.UTF_8));
            }
        }
        return text.isEmpty() || text.charAt(0) != ' ' ? text.toString() : text.substring(1);
    }

    /** {@code [CLS]}. */
    @Override
    public int bosId() {
        return clsId;
    }

    /** {@code [SEP]}. */
    @Override
    public int eosId() {
        return sepId;
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return id == sepId;
    }

    @Override
    public boolean isControl(int id) {
        checkId(id);
        return vocabulary.type(id) == TokenType.CONTROL;
    }

    public int unknownId() {
        return vocabulary.unknownId();
    }

    public int padId() {
        return vocabulary.paddingId();
    }

    /** The vocabulary as the file stores it. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public WordPieceTokenizerOptions options() {
        return options;
    }

    /** The normalized words that WordPiece cuts into pieces (normalization and pre-tokenization only). */
    public List<String> words(String text) {
        String normalized = normalize(text);
        List<String> words = new ArrayList<>();
        int wordStart = -1;
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (isWhitespace(cp) || isPunctuation(cp)) {
                if (wordStart >= 0) {
                    words.add(normalized.substring(wordStart, i));
                    wordStart = -1;
                }
                if (!isWhitespace(cp)) {
                    words.add(normalized.substring(i, next));
                }
            } else if (wordStart < 0) {
                wordStart = i;
            }
            i = next;
        }
        if (wordStart >= 0) {
            words.add(normalized.substring(wordStart));
        }
        return words;
    }

    /** BertNormalizer: clean text, space out CJK ideographs, strip accents, lower-case, in that order. */
    String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (options.cleanText()) {
                if (cp == 0 || cp == 0xFFFD || isDeletedControl(cp)) {
                    continue;
                }
                if (isWhitespace(cp)) {
                    cp = ' ';
                }
            }
            if (options.handleChineseChars() && isCjkIdeograph(cp)) {
                out.append(' ').appendCodePoint(cp).append(' ');
            } else {
                out.appendCodePoint(cp);
            }
        }
        String normalized = out.toString();
        if (options.stripAccents()) {
            normalized = stripAccents(normalized);
        }
        if (options.lowercase()) {
            normalized = lowercase(normalized);
        }
        return normalized;
    }

    private void appendPieces(String text, IntList ids) {
        for (String word : words(text)) {
            appendWordPieces(word, ids);
        }
    }

    /** Greedy longest-match-first: the word's pieces, or one [UNK] when some part of it matches no piece. */
    private void appendWordPieces(String word, IntList ids) {
        int charCount = word.codePointCount(0, word.length());
        if (charCount > options.maxInputCharsPerWord()) {
            ids.add(vocabulary.unknownId());
            return;
        }
        int[] pieces = new int[charCount];
        int count = 0;
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            int found = NO_TOKEN;
            while (end > start) {
                String candidate = word.substring(start, end);
                Integer id = start == 0 ? wordStarts.get(candidate) : continuations.get(candidate);
                if (id != null) {
                    found = id;
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (found == NO_TOKEN) {
                ids.add(vocabulary.unknownId());
                return;
            }
            pieces[count++] = found;
            start = end;
        }
        for (int i = 0; i < count; i++) {
            ids.add(pieces[i]);
        }
    }

    private static String stripAccents(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); ) {
            int cp = decomposed.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.getType(cp) != Character.NON_SPACING_MARK) {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    /** Lower-cases code point by code point, as tokenizers does (no context rules such as the final sigma). */
    private static String lowercase(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0x130) {
                out.append("i\u0307"); // the one unconditional multi-character lower-case mapping
            } else {
                out.appendCodePoint(Character.toLowerCase(cp));
            }
        }
        return out.toString();
    }

    /** Control characters are Unicode "other" (Cc, Cf, Cn, Co, Cs), except tab, line feed and carriage return. */
    static boolean isDeletedControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || type == Character.SURROGATE;
    }

    /** The Unicode White_Space property (what Rust's {@code char::is_whitespace} tests). */
    static boolean isWhitespace(int cp) {
        return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    /** ASCII punctuation (including symbols such as $ + < = > ^ ` | ~) and every Unicode P* category. */
    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION
                || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.OTHER_PUNCTUATION;
    }

    /** The CJK Unified Ideographs blocks (and compatibility ideographs) that BERT treats as one-character words. */
    static boolean isCjkIdeograph(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B920 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    private static boolean isContinuation(String piece) {
        return piece.startsWith(CONTINUATION_PREFIX) && piece.length() > CONTINUATION_PREFIX.length();
    }

    private void checkId(int id) {
        if (id < 0 || id >= wordPieces.length) {
            throw new IllegalArgumentException(vocabulary.source() + ": token id " + id
                    + " is outside the vocabulary (0.." + (wordPieces.length - 1) + ")");
        }
    }

    @Override
    public String toString() {
        return "WordPieceTokenizer[" + vocabulary + ", max length " + options.maxLength() + "]";
    }
}
