package dev.lectern.inference.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE ({@code tokenizer.ggml.model = gpt2}: GPT-2, Llama 3, Qwen2/2.5/3, gpt-oss's
 * o200k_harmony). The text is cut into pieces by the model's pre-tokenizer regex; each piece's UTF-8
 * bytes start as single-byte tokens, and the adjacent pair with the lowest merge rank is merged
 * (leftmost first on ties) until no pair merges. A priority queue keeps each piece O(n log n).
 */
public final class ByteLevelBpeTokenizer extends VocabularyTokenizer {

    /** Pre-tokenizers whose reference tokenizer takes a piece that is itself a token as is (tiktoken, Llama 3's {@code ignore_merges}). */
    private static final Set<String> WHOLE_PIECE_FIRST = Set.of("llama-bpe", "llama3", "llama-v3", "falcon3", "pixtral",
            "smaug-bpe", "dbrx", "gpt-4o");

    private static final int CACHE_LIMIT = 50_000;
    private static final int CACHEABLE_LENGTH = 32;

    private final PreTokenizer preTokenizer;
    private final MergeRanks merges;
    private final int[] byteTokens = new int[256];
    private final boolean wholePieceFirst;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    public ByteLevelBpeTokenizer(Vocabulary vocabulary) {
        super(vocabulary);
        if (vocabulary.merges() == null) {
            throw new VocabularyException(vocabulary.source(), "tokenizer.ggml.merges",
                    "an array of BPE merges for a byte-level (gpt2) vocabulary, found none");
        }
        this.preTokenizer = PreTokenizer.forName(vocabulary.pre(), vocabulary.source());
        this.wholePieceFirst = WHOLE_PIECE_FIRST.contains(preTokenizer.name());
        this.merges = MergeRanks.build(vocabulary.merges(), this, vocabulary.source());
        for (int b = 0; b < 256; b++) {
            byteTokens[b] = tokenId(String.valueOf(ByteLevelAlphabet.charOf(b)));
        }
    }

    /** The pre-tokenizer this vocabulary uses. */
    public PreTokenizer preTokenizer() {
        return preTokenizer;
    }

    @Override
    void encodeText(String text, boolean afterSpecial, IntList out) {
        for (String piece : preTokenizer.split(text)) {
            int[] ids = piece.length() <= CACHEABLE_LENGTH ? cache.get(piece) : null;
            if (ids == null) {
                ids = encodePiece(piece);
                if (piece.length() <= CACHEABLE_LENGTH) {
                    if (cache.size() >= CACHE_LIMIT) {
                        cache.clear();
                    }
                    cache.put(piece, ids);
                }
            }
            out.addAll(ids);
        }
    }

    private int[] encodePiece(String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        if (wholePieceFirst) {
            StringBuilder mapped = new StringBuilder(bytes.length);
            for (byte b : bytes) {
                mapped.append(ByteLevelAlphabet.charOf(b & 0xff));
            }
            int id = tokenId(mapped.toString());
            if (id >= 0 && !isControl(id)) {
                return new int[] {id};
            }
        }
        int n = bytes.length;
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            int id = byteTokens[bytes[i] & 0xff];
            if (id < 0) {
                if (vocabulary.unknownId() == NO_TOKEN) {
                    throw new IllegalArgumentException(vocabulary.source() + ": byte 0x"
                            + Integer.toHexString(bytes[i] & 0xff) + " has no token and there is no unknown token");
                }
                id = vocabulary.unknownId();
            }
            ids[i] = id;
        }
        if (n < 2) {
            return ids;
        }
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        boolean[] dead = new boolean[n];
        LongHeap heap = new LongHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            push(heap, ids, i, i + 1);
        }
        int alive = n;
        while (!heap.isEmpty()) {
            long entry = heap.pop();
            int rank = (int) (entry >>> 32);
            int left = (int) entry;
            int right = dead[left] ? -1 : next[left];
            // An entry is stale when its left symbol is gone or the pair there is no longer this merge.
            if (right < 0 || merges.rank(ids[left], ids[right]) != rank) {
                continue;
            }
            ids[left] = merges.mergedId(rank);
            dead[right] = true;
            alive--;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            if (prev[left] >= 0) {
                push(heap, ids, prev[left], left);
            }
            if (next[left] >= 0) {
                push(heap, ids, left, next[left]);
            }
        }
        int[] result = new int[alive];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            result[k++] = ids[i];
        }
        return result;
    }

    private void push(LongHeap heap, int[] ids, int left, int right) {
        int rank = merges.rank(ids[left], ids[right]);
        if (rank >= 0) {
            heap.push(((long) rank << 32) | left);
        }
    }

    @Override
    public byte[] tokenBytes(int id) {
        checkId(id);
        String piece = vocabulary.tokens().get(id);
        TokenType type = vocabulary.type(id);
        if (type == TokenType.CONTROL || type == TokenType.USER_DEFINED) {
            return piece.getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(piece.length());
        ByteLevelAlphabet.decode(piece, out);
        return out.toByteArray();
    }

    /** A binary min-heap of longs (rank in the high half, position in the low half). */
    private static final class LongHeap {
        private long[] values;
        private int size;

        LongHeap(int capacity) {
            values = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (values[parent] <= v) {
                    break;
                }
                values[i] = values[parent];
                i = parent;
            }
            values[i] = v;
        }

        long pop() {
            long top = values[0];
            long last = values[--size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && values[child + 1] < values[child]) {
                    child++;
                }
                if (values[child] >= last) {
                    break;
                }
                values[i] = values[child];
                i = child;
            }
            values[i] = last;
            return top;
        }
    }
}
