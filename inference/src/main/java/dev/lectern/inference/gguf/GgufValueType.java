package dev.lectern.inference.gguf;

/** The metadata value types of GGUF, with their on-disk ids and fixed sizes (0 for string and array). */
public enum GgufValueType {
    UINT8(0, 1), INT8(1, 1), UINT16(2, 2), INT16(3, 2), UINT32(4, 4), INT32(5, 4), FLOAT32(6, 4), BOOL(7, 1),
    STRING(8, 0), ARRAY(9, 0), UINT64(10, 8), INT64(11, 8), FLOAT64(12, 8);

    private static final GgufValueType[] BY_ID = values();

    private final int id;
    private final int size;

    GgufValueType(int id, int size) {
        this.id = id;
        this.size = size;
    }

    public int id() {
        return id;
    }

    /** Size in bytes of a value of this type, or 0 when it has a variable size (string, array). */
    public int size() {
        return size;
    }

    /** The smallest number of bytes a value of this type can occupy in a file (used to bound counts). */
    int minEncodedSize() {
        return switch (this) {
            case STRING -> 8; // u64 length
            case ARRAY -> 12; // u32 element type + u64 count
            default -> size;
        };
    }

    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** The type with this id, or {@code null}. */
    public static GgufValueType byId(long id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
