package dev.lectern.inference.tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * BPE merge priorities: for a pair of adjacent token ids, its rank (lower merges first) and the id of
 * the merged token. An open-addressing hash table over {@code long} keys, so the 280k merges of a
 * Llama 3 vocabulary load without boxing.
 */
final class MergeRanks {

    private static final long EMPTY = -1L;

    private final long[] keys;
    private final int[] ranks;
    private final int[] mergedIds; // indexed by rank
    private final int mask;

    private MergeRanks(int capacity, int count) {
        int size = Integer.highestOneBit(Math.max(4, capacity * 2 - 1)) << 1;
        keys = new long[size];
        Arrays.fill(keys, EMPTY);
        ranks = new int[size];
        mergedIds = new int[count];
        mask = size - 1;
    }

    /**
     * Builds the table from {@code tokenizer.ggml.merges} lines ({@code "left right"}); lines whose parts
     * or result are not tokens are skipped, as they could never apply.
     */
    static MergeRanks build(List<String> merges, VocabularyTokenizer tokenizer, String source) {
        MergeRanks table = new MergeRanks(merges.size(), merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            String line = merges.get(rank);
            int space = line.indexOf(' ', 1);
            if (space < 0) {
                throw new VocabularyException(source, "tokenizer.ggml.merges",
                        "entries of the form 'left right', got '" + line + "' at index " + rank);
            }
            String left = line.substring(0, space);
            String right = line.substring(space + 1);
            int leftId = tokenizer.tokenId(left);
            int rightId = tokenizer.tokenId(right);
            int mergedId = tokenizer.tokenId(left + right);
            if (leftId < 0 || rightId < 0 || mergedId < 0) {
                table.mergedIds[rank] = -1;
                continue;
            }
            table.mergedIds[rank] = mergedId;
            table.putIfAbsent(key(leftId, rightId), rank);
        }
        return table;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xffffffffL);
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    private void putIfAbsent(long key, int rank) {
        int i = hash(key) & mask;
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        ranks[i] = rank;
    }

    /** The rank of merging {@code left} with {@code right}, or -1 when they do not merge. */
    int rank(int left, int right) {
        long key = key(left, right);
        int i = hash(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                return ranks[i];
            }
            if (k == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /** The token a merge of the given rank produces. */
    int mergedId(int rank) {
        return mergedIds[rank];
    }
}
