package dev.lectern.inference.onnx;

/** The element types of {@code TensorProto.data_type} that this reader stores, with their size in bytes. */
public enum OnnxDataType {
    FLOAT(1, 4),
    UINT8(2, 1),
    INT8(3, 1),
    UINT16(4, 2),
    INT16(5, 2),
    INT32(6, 4),
    INT64(7, 8),
    BOOL(9, 1),
    FLOAT16(10, 2),
    DOUBLE(11, 8),
    UINT32(12, 4),
    UINT64(13, 8),
    BFLOAT16(16, 2);

    private final int code;
    private final int byteSize;

    OnnxDataType(int code, int byteSize) {
        this.code = code;
        this.byteSize = byteSize;
    }

    public int code() {
        return code;
    }

    public int byteSize() {
        return byteSize;
    }

    /** The type with this ONNX code, or null for codes without a fixed element size (strings, complex, 4-bit, 8-bit floats). */
    public static OnnxDataType ofCode(int code) {
        for (OnnxDataType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
