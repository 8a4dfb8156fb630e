package dev.lectern.inference.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * SentencePiece BPE as GGUF stores it ({@code tokenizer.ggml.model = llama}: Llama 1/2, Mistral,
 * TinyLlama, Phi-3). Spaces become {@code ▁}, the text gets a leading space, then adjacent pieces are
 * merged greedily, highest-scoring resulting token first (leftmost on ties), until no adjacent pair
 * forms a token. Characters left without a token are spelled as byte tokens {@code <0xXX>}.
 */
public final class SentencePieceTokenizer extends VocabularyTokenizer {

    static final char SPACE_MARK = '\u2581'; // ▁

    /** Ids of tokens that merges may produce (normal and user-defined ones), by text. */
    private final Map<String, Integer> mergeable;
    private final int[] byteTokens = new int[256];

    public SentencePieceTokenizer(Vocabulary vocabulary) {
        super(vocabulary);
        if (vocabulary.scores() == null) {
            throw new VocabularyException(vocabulary.source(), "tokenizer.ggml.scores",
                    "an array of token scores for a SentencePiece (llama) vocabulary, found none");
        }
        mergeable = HashMap.newHashMap(vocabulary.size());
        for (int id = 0; id < vocabulary.size(); id++) {
            TokenType type = vocabulary.type(id);
            if (type == TokenType.NORMAL || type == TokenType.USER_DEFINED || type == TokenType.UNDEFINED) {
                mergeable.putIfAbsent(vocabulary.tokens().get(id), id);
            }
        }
        for (int b = 0; b < 256; b++) {
            int id = tokenId(String.format(Locale.ROOT, "<0x%02X>", b));
            byteTokens[b] = id;
        }
    }

    @Override
    boolean stripsLeadingSpace() {
        return vocabulary.addSpacePrefix();
    }

    @Override
    void encodeText(String fragment, boolean afterSpecial, IntList out) {
        String text = (vocabulary.addSpacePrefix() && afterSpecial ? " " : "") + fragment;
        text = text.replace(' ', SPACE_MARK);
        new Merge(text).run(out);
    }

    @Override
    public byte[] tokenBytes(int id) {
        checkId(id);
        String piece = vocabulary.tokens().get(id);
        if (vocabulary.type(id) == TokenType.BYTE && piece.length() == 6 && piece.startsWith("<0x")) {
            return new byte[] {(byte) Integer.parseInt(piece, 3, 5, 16)};
        }
        if (vocabulary.type(id) == TokenType.NORMAL || vocabulary.type(id) == TokenType.UNDEFINED) {
            piece = piece.replace(SPACE_MARK, ' ');
        }
        return piece.getBytes(StandardCharsets.UTF_8);
    }

    /** Bigram candidate: symbols {@code left} and {@code right} would merge into a token of this score. */
    private record Bigram(int left, int right, float score, int length) {
    }

    /** One merge run over one text: symbols are spans of the text kept in a doubly linked list. */
    private final class Merge {
        private final String text;
        private final int[] start;
        private final int[] length;
        private final int[] prev;
        private final int[] next;
        private final PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> {
            int byScore = Float.compare(b.score, a.score);
            return byScore != 0 ? byScore : Integer.compare(a.left, b.left);
        });

        Merge(String text) {
            this.text = text;
            int n = text.codePointCount(0, text.length());
            start = new int[n];
            length = new int[n];
            prev = new int[n];
            next = new int[n];
            int offset = 0;
            for (int i = 0; i < n; i++) {
                int len = Character.charCount(text.codePointAt(offset));
                start[i] = offset;
                length[i] = len;
                prev[i] = i - 1;
                next[i] = i + 1 < n ? i + 1 : -1;
                offset += len;
            }
        }

        void run(IntList out) {
            int n = start.length;
            for (int i = 1; i < n; i++) {
                tryAddBigram(i - 1, i);
            }
            while (!queue.isEmpty()) {
                Bigram bigram = queue.poll();
                int left = bigram.left;
                int right = bigram.right;
                // Skip candidates made stale by an earlier merge of either side.
                if (length[left] == 0 || length[right] == 0 || length[left] + length[right] != bigram.length
                        || next[left] != right) {
                    continue;
                }
                length[left] += length[right];
                length[right] = 0;
                next[left] = next[right];
                if (next[right] >= 0) {
                    prev[next[right]] = left;
                }
                if (prev[left] >= 0) {
                    tryAddBigram(prev[left], left);
                }
                if (next[left] >= 0) {
                    tryAddBigram(left, next[left]);
                }
            }
            for (int i = n > 0 ? 0 : -1; i >= 0; i = next[i]) {
                emit(i, out);
            }
        }

        private void tryAddBigram(int left, int right) {
            int len = length[left] + length[right];
            Integer id = mergeable.get(text.substring(start[left], start[left] + len));
            if (id != null) {
                queue.add(new Bigram(left, right, vocabulary.score(id), len));
            }
        }

        private void emit(int symbol, IntList out) {
            String piece = text.substring(start[symbol], start[symbol] + length[symbol]);
            Integer id = mergeable.get(piece);
            if (id != null) {
                out.add(id);
                return;
            }
            for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                int byteId = byteTokens[b & 0xff];
                if (byteId != NO_TOKEN) {
                    out.add(byteId);
                } else if (vocabulary.unknownId() != NO_TOKEN) {
                    out.add(vocabulary.unknownId());
                } else {
                    throw new IllegalArgumentException(vocabulary.source() + ": cannot tokenize '" + piece
                            + "': no token, no byte token <0x" + String.format(Locale.ROOT, "%02X", b & 0xff)
                            + "> and no unknown token (tokenizer.ggml.unknown_token_id)");
                }
            }
        }
    }
}
