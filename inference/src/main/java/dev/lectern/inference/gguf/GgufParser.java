package dev.lectern.inference.gguf;

import dev.lectern.inference.tensor.GgmlType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the header, metadata and tensor infos of a mapped GGUF file.
 *
 * <p>GGUF layout (all little-endian): magic {@code "GGUF"}, u32 version, u64 tensor count, u64 metadata count,
 * the metadata entries (string key, u32 value type, value), the tensor infos (string name, u32 n_dims, u64 dims
 * [ne0 first], u32 ggml type, u64 offset), padding up to {@code general.alignment} (default 32), then the tensor
 * data; each tensor's offset is relative to the start of that data section. A string is a u64 byte length followed
 * by UTF-8 bytes; an array is a u32 element type, a u64 count, then the elements.
 *
 * <p>Every read is bounds-checked against the file size before it happens, and every count is checked against the
 * bytes that remain (each element needs at least a known number of bytes), so a corrupt count can neither read past
 * the mapping nor make us allocate more than the file could describe.
 */
final class GgufParser {

    static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
    static final int DEFAULT_ALIGNMENT = 32;
    static final String ALIGNMENT_KEY = "general.alignment";
    private static final int MAX_DIMS = 4; // GGML_MAX_DIMS
    /** name length (8) + n_dims (4) + one dim (8) + type (4) + offset (8). */
    private static final int MIN_TENSOR_INFO_SIZE = 32;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final MemorySegment seg;
    private final long size;
    private long pos;
    /** What is being read, for error messages ("metadata key 'x'", "tensor info #3 'blk.0.attn_q.weight'"). */
    private String context = "header";

    int version;
    long dataOffset;
    int alignment = DEFAULT_ALIGNMENT;
    final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    final List<GgufTensor> tensors = new ArrayList<>();

    GgufParser(Path file, MemorySegment seg) {
        this.file = file;
        this.seg = seg;
        this.size = seg.byteSize();
    }

    void parse() {
        if (size < 4) throw fail("file is " + size + " bytes long, too short for a GGUF header");
        int magic = seg.get(U32, 0);
        if (magic != MAGIC) {
            throw fail(String.format("bad magic 0x%08x, expected \"GGUF\" (0x%08x): not a GGUF file", magic, MAGIC));
        }
        pos = 4;
        version = readU32();
        if (version != 2 && version != 3) {
            if (Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3) {
                throw fail("GGUF version field reads " + version + ": this is a big-endian GGUF file, which is not supported");
            }
            throw fail("unsupported GGUF version " + Integer.toUnsignedString(version) + ", expected 2 or 3");
        }
        long tensorCount = readU64();
        long kvCount = readU64();
        checkCount(kvCount, 8 + 4 + 1, "metadata entries");
        checkCount(tensorCount, MIN_TENSOR_INFO_SIZE, "tensor infos");

        for (long i = 0; i < kvCount; i++) {
            context = "metadata entry #" + i;
            String key = readString();
            context = "metadata key '" + key + "'";
            if (metadata.containsKey(key)) throw fail("duplicate metadata key");
            GgufValueType type = readType();
            metadata.put(key, readValue(type, 0));
        }

        GgufValue align = metadata.get(ALIGNMENT_KEY);
        if (align != null) {
            context = "metadata key '" + ALIGNMENT_KEY + "'";
            if (!align.type().isInteger()) throw fail("has type " + align.describeType() + ", expected uint32");
            long a = (Long) align.value();
            if (a <= 0 || a > (1 << 30) || Long.bitCount(a) != 1) throw fail("alignment " + a + " is not a power of two");
            alignment = (int) a;
        }

        record Info(String name, long[] dims, GgmlType type, long offset, long bytes) {}
        List<Info> infos = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            context = "tensor info #" + i;
            String name = readString();
            context = "tensor '" + name + "'";
            if (!names.add(name)) throw fail("duplicate tensor name");
            int nDims = readU32();
            if (nDims < 1 || nDims > MAX_DIMS) throw fail("has " + Integer.toUnsignedString(nDims) + " dimensions, expected 1 to " + MAX_DIMS);
            long[] dims = new long[nDims];
            long elements = 1;
            for (int d = 0; d < nDims; d++) {
                dims[d] = readU64();
                if (dims[d] < 0) throw fail("dimension " + d + " is " + Long.toUnsignedString(dims[d]) + ", too large");
                try {
                    elements = Math.multiplyExact(elements, dims[d]);
                } catch (ArithmeticException e) {
                    throw fail("element count overflows (dims " + java.util.Arrays.toString(dims) + ")");
                }
            }
            int typeId = readU32();
            GgmlType type = GgmlType.byId(typeId);
            if (type == null) throw fail("has unknown ggml type id " + Integer.toUnsignedString(typeId));
            if (type.isRemoved()) throw fail("has ggml type " + type + " (id " + typeId + "), which ggml removed; re-convert the model");
            if (dims[0] % type.blockSize() != 0) {
                throw fail("row length ne0=" + dims[0] + " is not a multiple of the " + type + " block size " + type.blockSize());
            }
            long offset = readU64();
            if (offset < 0 || offset % alignment != 0) {
                throw fail("data offset " + Long.toUnsignedString(offset) + " is not a multiple of the alignment " + alignment);
            }
            long bytes;
            try {
                bytes = type.byteSize(elements);
            } catch (ArithmeticException e) {
                throw fail("byte size overflows");
            }
            infos.add(new Info(name, dims, type, offset, bytes));
        }

        context = "tensor data";
        dataOffset = alignUp(pos, alignment);
        for (Info info : infos) {
            long start = dataOffset + info.offset;
            if (start < 0 || info.bytes > size || start > size - info.bytes) {
                throw new GgufFormatException(file, "tensor '" + info.name + "': data [" + info.offset + ", "
                        + (info.offset + info.bytes) + ") of the data section (file offset " + start + ", "
                        + info.bytes + " bytes of " + info.type + ") extends beyond the end of the file (" + size
                        + " bytes): the file is truncated or corrupt");
            }
            tensors.add(new GgufTensor(file, info.name, info.dims, info.type, info.offset, seg.asSlice(start, info.bytes)));
        }
    }

    static long alignUp(long v, long alignment) {
        return (v + alignment - 1) / alignment * alignment;
    }

    private GgufValue readValue(GgufValueType type, int depth) {
        return switch (type) {
            case UINT8 -> GgufValue.scalar(type, (long) Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, need(1))));
            case INT8 -> GgufValue.scalar(type, (long) seg.get(ValueLayout.JAVA_BYTE, need(1)));
            case UINT16 -> GgufValue.scalar(type, (long) Short.toUnsignedInt(seg.get(U16, need(2))));
            case INT16 -> GgufValue.scalar(type, (long) seg.get(U16, need(2)));
            case UINT32 -> GgufValue.scalar(type, Integer.toUnsignedLong(seg.get(U32, need(4))));
            case INT32 -> GgufValue.scalar(type, (long) seg.get(U32, need(4)));
            case UINT64, INT64 -> GgufValue.scalar(type, seg.get(U64, need(8)));
            case FLOAT32 -> GgufValue.scalar(type, seg.get(F32, need(4)));
            case FLOAT64 -> GgufValue.scalar(type, seg.get(F64, need(8)));
            case BOOL -> GgufValue.scalar(type, readBool());
            case STRING -> GgufValue.scalar(type, readString());
            case ARRAY -> readArray(depth);
        };
    }

    private boolean readBool() {
        byte b = seg.get(ValueLayout.JAVA_BYTE, need(1));
        if (b != 0 && b != 1) throw fail("bool value is " + b + ", expected 0 or 1");
        return b == 1;
    }

    private GgufValue readArray(int depth) {
        if (depth > 8) throw fail("arrays nested more than 8 deep");
        GgufValueType et = readType();
        long count = readU64();
        checkCount(count, et.minEncodedSize(), "elements of " + et);
        int n = (int) count;
        Object values = switch (et) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) a[i] = (Long) readValue(et, depth).value();
                yield a;
            }
            case FLOAT32 -> {
                float[] a = new float[n];
                long base = need(4L * n);
                for (int i = 0; i < n; i++) a[i] = seg.get(F32, base + 4L * i);
                yield a;
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                long base = need(8L * n);
                for (int i = 0; i < n; i++) a[i] = seg.get(F64, base + 8L * i);
                yield a;
            }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) a[i] = readBool();
                yield a;
            }
            case STRING -> {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) a[i] = readString();
                yield a;
            }
            case ARRAY -> {
                GgufValue[] a = new GgufValue[n];
                for (int i = 0; i < n; i++) a[i] = readArray(depth + 1);
                yield a;
            }
        };
        return GgufValue.array(et, values);
    }

    private GgufValueType readType() {
        int id = readU32();
        GgufValueType t = GgufValueType.byId(Integer.toUnsignedLong(id));
        if (t == null) throw fail("unknown metadata value type id " + Integer.toUnsignedString(id) + " (expected 0 to 12)");
        return t;
    }

    private String readString() {
        long len = readU64();
        if (len < 0 || len > size - pos) {
            throw fail("string length " + Long.toUnsignedString(len) + " at offset " + (pos - 8) + " runs past the end of the file ("
                    + size + " bytes)");
        }
        if (len > Integer.MAX_VALUE - 8) throw fail("string length " + len + " is too large");
        byte[] bytes = new byte[(int) len];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, need(len), bytes, 0, (int) len);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private int readU32() {
        return seg.get(U32, need(4));
    }

    private long readU64() {
        return seg.get(U64, need(8));
    }

    /** Returns the current position and advances it by {@code n}, after checking that {@code n} bytes remain. */
    private long need(long n) {
        if (n < 0 || n > size - pos) {
            throw fail("needs " + n + " bytes at offset " + pos + " but the file ends at " + size + ": truncated file");
        }
        long p = pos;
        pos += n;
        return p;
    }

    private void checkCount(long count, int minBytesEach, String what) {
        long remaining = size - pos;
        if (count < 0 || count > Integer.MAX_VALUE - 8 || (minBytesEach > 0 && count > remaining / minBytesEach)) {
            throw fail("count of " + what + " is " + Long.toUnsignedString(count) + ", but only " + remaining
                    + " bytes remain in the file: corrupt or truncated");
        }
    }

    private GgufFormatException fail(String message) {
        return new GgufFormatException(file, context + ": " + message);
    }
}
