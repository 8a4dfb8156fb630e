package dev.lectern.inference.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the GGUF-vocabulary tokenizers share: token lookup, special-token splitting, BOS/EOS handling,
 * the end-of-generation set and decoding. Subclasses tokenize the plain text between special tokens
 * and say which bytes each token stands for.
 */
abstract class VocabularyTokenizer implements Tokenizer {

    /**
     * Token texts that end a turn in the chat formats we know, besides the declared EOS/EOT ids
     * (llama.cpp keeps a similar list, since many GGUF files only declare EOS).
     */
    private static final List<String> END_OF_TURN_TEXTS = List.of(
            "<|eot_id|>", "<|eom_id|>", "<|end_of_text|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>",
            "<|return|>", "<|call|>", "<EOT>", "<｜end▁of▁sentence｜>");

    protected final Vocabulary vocabulary;
    private final Map<String, Integer> idsByPiece;
    private final SpecialTokenSplitter splitter;
    private final BitSet endOfGeneration = new BitSet();
    private final BitSet control = new BitSet();

    VocabularyTokenizer(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
        List<String> tokens = vocabulary.tokens();
        this.idsByPiece = HashMap.newHashMap(tokens.size());
        for (int id = 0; id < tokens.size(); id++) {
            idsByPiece.putIfAbsent(tokens.get(id), id);
            if (vocabulary.type(id) == TokenType.CONTROL) {
                control.set(id);
            }
        }
        this.splitter = new SpecialTokenSplitter(vocabulary);
        if (vocabulary.eosId() != NO_TOKEN) {
            endOfGeneration.set(vocabulary.eosId());
        }
        if (vocabulary.eotId() != NO_TOKEN) {
            endOfGeneration.set(vocabulary.eotId());
        }
        for (String text : END_OF_TURN_TEXTS) {
            Integer id = idsByPiece.get(text);
            if (id != null) {
                endOfGeneration.set(id);
            }
        }
        // Harmony (gpt-oss) ends a message with <|end|> but keeps generating the next one (analysis,
        // then final); only <|return|> and <|call|> end the assistant's turn. llama.cpp does the same.
        Integer end = idsByPiece.get("<|end|>");
        if (end != null && idsByPiece.containsKey("<|return|>") && idsByPiece.containsKey("<|call|>")
                && end != vocabulary.eosId() && end != vocabulary.eotId()) {
            endOfGeneration.clear(end);
        }
    }

    /** Appends the tokens of a plain-text fragment; {@code afterSpecial} is true at the start of the text and after a special token. */
    abstract void encodeText(String text, boolean afterSpecial, IntList out);

    @Override
    public final int vocabularySize() {
        return vocabulary.size();
    }

    /** The vocabulary this tokenizer was built from. */
    public final Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public final int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        IntList out = new IntList();
        if (addSpecial && vocabulary.addBos() && vocabulary.bosId() != NO_TOKEN) {
            out.add(vocabulary.bosId());
        }
        splitter.split(text, parseSpecial, new SpecialTokenSplitter.Sink() {
            private boolean afterSpecial = true;

            @Override
            public void text(String fragment) {
                encodeText(fragment, afterSpecial, out);
                afterSpecial = false;
            }

            @Override
            public void token(int id) {
                out.add(id);
                afterSpecial = true;
            }
        });
        if (addSpecial && vocabulary.addEos() && vocabulary.eosId() != NO_TOKEN) {
            out.add(vocabulary.eosId());
        }
        return out.toArray();
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean first = true;
        for (int id : ids) {
            checkId(id);
            if (control.get(id)) {
                continue;
            }
            byte[] b = tokenBytes(id);
            int from = 0;
            if (first && stripsLeadingSpace() && b.length > 0 && b[0] == ' ') {
                from = 1;
            }
            bytes.write(b, from, b.length - from);
            first = false;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** True when encoding adds a space before the text, so decoding a whole sequence removes it again. */
    boolean stripsLeadingSpace() {
        return false;
    }

    @Override
    public final String piece(int id) {
        checkId(id);
        return vocabulary.tokens().get(id);
    }

    @Override
    public final int tokenId(String piece) {
        Integer id = idsByPiece.get(piece);
        return id == null ? NO_TOKEN : id;
    }

    @Override
    public final int bosId() {
        return vocabulary.bosId();
    }

    @Override
    public final int eosId() {
        return vocabulary.eosId();
    }

    @Override
    public final boolean isEndOfGeneration(int id) {
        return id >= 0 && endOfGeneration.get(id);
    }

    @Override
    public final boolean isControl(int id) {
        return id >= 0 && control.get(id);
    }

    final void checkId(int id) {
        if (id < 0 || id >= vocabulary.size()) {
            throw new IllegalArgumentException(vocabulary.source() + ": token id " + id
                    + " is outside the vocabulary (0.." + (vocabulary.size() - 1) + ")");
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + vocabulary + "]";
    }
}
