package dev.lectern.inference.tensor;

/**
 * Every tensor element type ggml has ever assigned an id to, with its block geometry.
 *
 * <p>ggml stores a row of {@code n} values as {@code n / blockSize} consecutive blocks of {@code bytesPerBlock}
 * bytes (plain types such as F32 are "blocks" of one value). Knowing the geometry of every id, even those this
 * engine cannot compute with, lets the GGUF reader check tensor sizes and name the type in error messages.
 * Ids that ggml removed (the old Q4_2/Q4_3 and the repacked Q4_0_x_y / IQ4_NL_x_y layouts) are kept as
 * {@link #isRemoved() removed} entries so a file that uses one gets a precise error.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q4_2(4, 0, 0),
    Q4_3(5, 0, 0),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    Q8_1(9, 32, 36),
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    Q8_K(15, 256, 292),
    IQ2_XXS(16, 256, 66),
    IQ2_XS(17, 256, 74),
    IQ3_XXS(18, 256, 98),
    IQ1_S(19, 256, 50),
    IQ4_NL(20, 32, 18),
    IQ3_S(21, 256, 110),
    IQ2_S(22, 256, 82),
    IQ4_XS(23, 256, 136),
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    F64(28, 1, 8),
    IQ1_M(29, 256, 56),
    BF16(30, 1, 2),
    Q4_0_4_4(31, 0, 0),
    Q4_0_4_8(32, 0, 0),
    Q4_0_8_8(33, 0, 0),
    TQ1_0(34, 256, 54),
    TQ2_0(35, 256, 66),
    IQ4_NL_4_4(36, 0, 0),
    IQ4_NL_4_8(37, 0, 0),
    IQ4_NL_8_8(38, 0, 0),
    MXFP4(39, 32, 17);

    private static final GgmlType[] BY_ID;

    static {
        int max = 0;
        for (GgmlType t : values()) max = Math.max(max, t.id);
        BY_ID = new GgmlType[max + 1];
        for (GgmlType t : values()) BY_ID[t.id] = t;
    }

    private final int id;
    private final int blockSize;
    private final int bytesPerBlock;

    GgmlType(int id, int blockSize, int bytesPerBlock) {
        this.id = id;
        this.blockSize = blockSize;
        this.bytesPerBlock = bytesPerBlock;
    }

    /** The numeric id used in GGUF tensor infos. */
    public int id() {
        return id;
    }

    /** Number of values in one block (1 for plain types); 0 for removed ids. */
    public int blockSize() {
        return blockSize;
    }

    /** Number of bytes one block occupies; 0 for removed ids. */
    public int bytesPerBlock() {
        return bytesPerBlock;
    }

    /** True for ids ggml no longer defines (their layout is unknown to current files). */
    public boolean isRemoved() {
        return blockSize == 0;
    }

    /** The lower-case name ggml uses in tensor names and tools, e.g. {@code q4_K}, {@code iq4_nl}. */
    public String ggmlName() {
        String n = name().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith("_k") ? n.substring(0, n.length() - 2) + "_K" : n;
    }

    /**
     * Bytes needed to store {@code elements} values of this type.
     *
     * @throws IllegalArgumentException if {@code elements} is not a whole number of blocks or the type is removed
     */
    public long byteSize(long elements) {
        if (isRemoved()) throw new IllegalArgumentException("ggml type " + this + " (id " + id + ") was removed from ggml");
        if (elements % blockSize != 0) {
            throw new IllegalArgumentException(elements + " values of type " + this + " are not a whole number of "
                    + blockSize + "-value blocks");
        }
        return Math.multiplyExact(elements / blockSize, (long) bytesPerBlock);
    }

    /** The type with this id, or {@code null} if ggml never defined it. */
    public static GgmlType byId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
