package dev.lectern.pipeline.task;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Cuts a text into chunks of at most {@code size} units that overlap by about {@code overlap} units, for models
 * with a bounded input. Units are characters, or model tokens when a token counter is given. Cuts fall between
 * words (a word longer than a whole chunk is cut inside), never inside a surrogate pair, and the same text always
 * gives the same chunks.
 *
 * <p>The text is first split into words, each with the white space before it; a chunk is a run of whole words.
 * Counting tokens word by word slightly over-counts next to a model's merges across words, so chunks stay
 * within the budget.
 */
public final class TextChunker {

    private final int size;
    private final int overlap;
    private final ToIntFunction<String> measure;

    private TextChunker(int size, int overlap, ToIntFunction<String> measure) {
        if (size < 1 || overlap < 0 || overlap >= size) {
            throw new IllegalArgumentException("chunk size must be at least 1 and overlap in [0, size), got size "
                    + size + " and overlap " + overlap);
        }
        this.size = size;
        this.overlap = overlap;
        this.measure = measure;
    }

    public static TextChunker byCharacters(int size, int overlap) {
        return new TextChunker(size, overlap, String::length);
    }

    /** @param tokenCount how many model tokens a piece of text encodes to (without special tokens) */
    public static TextChunker byTokens(int size, int overlap, ToIntFunction<String> tokenCount) {
        return new TextChunker(size, overlap, tokenCount);
    }

    public List<Chunk> chunk(String text) {
        List<int[]> pieces = pieces(text);          // {start, end, size}
        List<Chunk> chunks = new ArrayList<>();
        int first = 0;
        while (first < pieces.size()) {
            int last = first;
            int total = pieces.get(first)[2];
            while (last + 1 < pieces.size() && total + pieces.get(last + 1)[2] <= size) {
                last++;
                total += pieces.get(last)[2];
            }
            int start = pieces.get(first)[0];
            int end = pieces.get(last)[1];
            chunks.add(new Chunk(chunks.size(), start, end, total, text.substring(start, end)));
            if (last + 1 >= pieces.size()) {
                break;
            }
            // The next chunk starts with the trailing pieces of this one that fit in the overlap, but always
            // moves forward by at least one piece.
            int next = last + 1;
            int carried = 0;
            while (next - 1 > first && carried + pieces.get(next - 1)[2] <= overlap) {
                next--;
                carried += pieces.get(next)[2];
            }
            first = next;
        }
        return chunks;
    }

    /** Words with their leading white space; any piece over the chunk size is cut into parts that fit. */
    private List<int[]> pieces(String text) {
        List<int[]> pieces = new ArrayList<>();
        int n = text.length();
        int start = 0;
        while (start < n) {
            int i = start;
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            while (i < n && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            addFitting(text, start, i, pieces);
            start = i;
        }
        return pieces;
    }

    private void addFitting(String text, int start, int end, List<int[]> out) {
        int units = measure.applyAsInt(text.substring(start, end));
        if (units <= size || end - start <= 1) {
            out.add(new int[]{start, end, units});
            return;
        }
        int middle = start + (end - start) / 2;
        if (Character.isLowSurrogate(text.charAt(middle)) && middle - 1 > start) {
            middle--;
        }
        addFitting(text, start, middle, out);
        addFitting(text, middle, end, out);
    }
}
