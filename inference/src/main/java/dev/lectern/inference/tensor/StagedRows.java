package dev.lectern.inference.tensor;

import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.lectern.inference.tensor.Vectors.F;

/**
 * The frame of the multi-sequence kernels of block types whose blocks start with a half-precision scale (Q4_0;
 * Q8_0 ran here too before it got {@link Q8_0Panels}): a group of 4 or 8 activation rows against a range of weight rows, where each weight vector, once decoded,
 * serves the whole group. What makes that fast is where the operands sit, and that is the same for every type:
 * <ul>
 * <li>the activations are interleaved by vector ({@code [vector v][sequence j][lane]}) and start on a 64-byte
 *     line ({@link Aligned}), so that the loads per weight vector are one stream that never splits a line
 *     (1.6× on the Q8_0 kernel);</li>
 * <li>columns go in chunks of {@link #CHUNK_BLOCKS} blocks, so those activations stay in L1, the accumulators
 *     being stored between chunks (the order of the operations per output is unchanged, so are the bits);</li>
 * <li>the weight rows are copied to the heap {@link #ROWS} at a time with their scales as floats, so the inner
 *     loop has no memory-segment checks and no half-precision conversion.</li>
 * </ul>
 * The type supplies the {@link Tile}: the arithmetic on one chunk of the staged rows, which must be its single-row
 * kernel's, operation for operation.
 */
final class StagedRows {

    /** Weight rows staged at a time (about 140 KB of Q8_0 for 2048 columns: L2). */
    static final int ROWS = 64;
    /**
     * Blocks per column chunk: 8 activation rows of 1024 floats are 32 KB, which stay in L1 (48 KB here) while
     * every staged weight row streams its part of the chunk past them.
     */
    static final int CHUNK_BLOCKS = 32;

    /** One chunk of blocks {@code [k0, k1)} of the {@code count} staged rows against the group's activations. */
    @FunctionalInterface
    interface Tile {
        void run(StagedRows st, int group, int count, int k0, int k1);
    }

    /** Up to 8 activation rows interleaved by vector (see {@link #product}), plus {@link Aligned#SLACK} to start them on a 64-byte line. */
    float[] activations = new float[0];
    /** Where the interleaved activations start in {@link #activations} (a 64-byte line). */
    int base;
    /** The staged rows' bytes as stored (scales and codes). */
    byte[] blocks = new byte[0];
    /** The staged rows' block scales as floats. */
    float[] scales = new float[0];
    /**
     * Per staged row, 2 accumulator vectors (even and odd) per activation row of the group, carried from chunk to
     * chunk: row {@code i}'s even vector for activation row {@code j} at {@code (i·2·group + j)·lanes}, its odd one
     * {@code group} vectors further.
     */
    float[] accumulators = new float[0];
    /** Columns, bytes per weight row and blocks per weight row of the matrix being staged. */
    int cols, rowBytes, blocksPerRow;

    private static final ThreadLocal<StagedRows> PER_THREAD = ThreadLocal.withInitial(StagedRows::new);

    private StagedRows() {}

    private void fit(int cols, int rowBytes, int blocksPerRow) {
        int lanes = F.length();
        if (activations.length < 8 * cols + Aligned.SLACK) activations = new float[8 * cols + Aligned.SLACK];
        if (blocks.length < ROWS * rowBytes) blocks = new byte[ROWS * rowBytes];
        if (scales.length < ROWS * blocksPerRow) scales = new float[ROWS * blocksPerRow];
        if (accumulators.length < ROWS * 16 * lanes) accumulators = new float[ROWS * 16 * lanes];
        this.cols = cols;
        this.rowBytes = rowBytes;
        this.blocksPerRow = blocksPerRow;
    }

    /**
     * The {@code group} (4 or 8) activation rows from {@code x[x0]} (row-major, {@code cols} each), interleaved by
     * vector in sets of {@code width} rows (set {@code s} from {@code base + s·width·cols}, its vector {@code v} of
     * row {@code j} at {@code + (v·width + j % width)·lanes}), against weight
     * rows {@code [rowStart, rowEnd)} of {@code m} (blocks with a leading half-precision scale, converted by
     * {@code blockScales}), into {@code out[o + j·rows + r]}: per output, {@code sum(even + odd)} of its two accumulator vectors
     * ({@link Vectors#sum}), times {@code unscale} unless that is 1.
     */
    static void product(Matrix m, BlockScales blockScales, int group, int width, Tile tile, float unscale,
                        float[] x, int x0, float[] out, int o, int rowStart, int rowEnd) {
        int cols = m.cols(), rows = m.rows(), lanes = F.length(), blocksPerRow = cols / m.type().blockSize();
        int rb = Math.toIntExact(m.rowBytes());
        StagedRows st = PER_THREAD.get();
        st.fit(cols, rb, blocksPerRow);
        float[] xp = st.activations;
        int base = st.base = Aligned.firstAlignedIndex(xp);
        for (int j = 0; j < group; j++) {
            int at = base + j / width * width * cols + j % width * lanes;
            for (int v = 0; v < cols / lanes; v++) System.arraycopy(x, x0 + j * cols + v * lanes, xp, at + v * width * lanes, lanes);
        }
        MemorySegment data = m.data();
        for (int r0 = rowStart; r0 < rowEnd; r0 += ROWS) {
            int count = Math.min(ROWS, rowEnd - r0);
            byte[] blocks = st.blocks;
            float[] scales = st.scales;
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, r0 * m.rowBytes(), blocks, 0, count * rb);
            blockScales.convert(blocks, count * blocksPerRow, scales);
            java.util.Arrays.fill(st.accumulators, 0, count * 2 * group * lanes, 0f);
            for (int k0 = 0; k0 < blocksPerRow; k0 += CHUNK_BLOCKS) tile.run(st, group, count, k0, Math.min(blocksPerRow, k0 + CHUNK_BLOCKS));
            st.reduce(group, count, unscale, out, o + r0, rows);
        }
    }

    /**
     * {@code out[o + j·stride + i] = sum(even + odd)} of staged row {@code i}'s accumulators for activation row
     * {@code j}, times {@code unscale} unless that is 1. A method of its own so that C2 inlines {@link Vectors#sum}
     * here whatever it inlines into {@link #product}: left out of line, every vector passed to it is boxed.
     */
    private void reduce(int group, int count, float unscale, float[] out, int o, int stride) {
        int lanes = F.length();
        float[] acc = accumulators;
        for (int i = 0; i < count; i++) {
            int a = i * 2 * group * lanes;
            for (int j = 0; j < group; j++) {
                FloatVector even = FloatVector.fromArray(F, acc, a + j * lanes), odd = FloatVector.fromArray(F, acc, a + (group + j) * lanes);
                float sum = Vectors.sum(even.add(odd));
                out[o + j * stride + i] = unscale == 1 ? sum : sum * unscale;
            }
        }
    }
}
