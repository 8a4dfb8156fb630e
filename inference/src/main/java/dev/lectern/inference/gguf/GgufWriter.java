package dev.lectern.inference.gguf;

import dev.lectern.inference.tensor.GgmlType;
import dev.lectern.inference.tensor.Quantizer;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF v3 files: metadata of every value type and tensors of any ggml type, with their data aligned as
 * {@code general.alignment} says (32 by default). Used by tests and by benchmarks to write models of real shapes.
 *
 * <p>Tensor bytes are either given as a segment or streamed by a {@link TensorSource} at write time, so a
 * multi-gigabyte model never has to be in memory at once. The file is written to a temporary sibling and moved
 * into place, so readers never see a half-written file.
 */
public final class GgufWriter {

    /** Streams exactly the tensor's bytes to {@code out}. */
    @FunctionalInterface
    public interface TensorSource {
        void writeTo(WritableByteChannel out) throws IOException;
    }

    /** Produces the values of one row (ggml ne0 values) of a tensor being written, row {@code index} of all rows. */
    @FunctionalInterface
    public interface RowValues {
        void fill(long index, float[] row);
    }

    private record PendingTensor(String name, GgmlType type, long[] dims, long bytes, TensorSource source) {}

    private static final java.lang.foreign.ValueLayout.OfFloat F32_LE =
            java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private int alignment = GgufParser.DEFAULT_ALIGNMENT;

    /** Sets the data alignment and records it as {@code general.alignment} (uint32). */
    public GgufWriter alignment(int alignment) {
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
        this.alignment = alignment;
        metadata.put(GgufParser.ALIGNMENT_KEY, GgufValue.scalar(GgufValueType.UINT32, (long) alignment));
        return this;
    }

    /** Adds (or replaces) a metadata value; see {@link GgufValue} for the Java types each GGUF type takes. */
    public GgufWriter put(String key, GgufValue value) {
        metadata.put(key, value);
        return this;
    }

    public GgufWriter putString(String key, String v) {
        return put(key, GgufValue.scalar(GgufValueType.STRING, v));
    }

    public GgufWriter putBool(String key, boolean v) {
        return put(key, GgufValue.scalar(GgufValueType.BOOL, v));
    }

    public GgufWriter putUInt8(String key, int v) {
        return put(key, GgufValue.scalar(GgufValueType.UINT8, (long) v));
    }

    public GgufWriter putInt8(String key, int v) {
        return put(key, GgufValue.scalar(GgufValueType.INT8, (long) v));
    }

    public GgufWriter putUInt16(String key, int v) {
        return put(key, GgufValue.scalar(GgufValueType.UINT16, (long) v));
    }

    public GgufWriter putInt16(String key, int v) {
        return put(key, GgufValue.scalar(GgufValueType.INT16, (long) v));
    }

    public GgufWriter putUInt32(String key, long v) {
        return put(key, GgufValue.scalar(GgufValueType.UINT32, v));
    }

    public GgufWriter putInt32(String key, int v) {
        return put(key, GgufValue.scalar(GgufValueType.INT32, (long) v));
    }

    public GgufWriter putUInt64(String key, long v) {
        return put(key, GgufValue.scalar(GgufValueType.UINT64, v));
    }

    public GgufWriter putInt64(String key, long v) {
        return put(key, GgufValue.scalar(GgufValueType.INT64, v));
    }

    public GgufWriter putFloat32(String key, float v) {
        return put(key, GgufValue.scalar(GgufValueType.FLOAT32, v));
    }

    public GgufWriter putFloat64(String key, double v) {
        return put(key, GgufValue.scalar(GgufValueType.FLOAT64, v));
    }

    public GgufWriter putStringArray(String key, String... v) {
        return put(key, GgufValue.array(GgufValueType.STRING, v.clone()));
    }

    public GgufWriter putStringArray(String key, List<String> v) {
        return put(key, GgufValue.array(GgufValueType.STRING, v.toArray(String[]::new)));
    }

    public GgufWriter putInt32Array(String key, int... v) {
        return put(key, GgufValue.array(GgufValueType.INT32, Arrays.stream(v).asLongStream().toArray()));
    }

    public GgufWriter putFloat32Array(String key, float... v) {
        return put(key, GgufValue.array(GgufValueType.FLOAT32, v.clone()));
    }

    /** Adds a tensor whose bytes are {@code data} (which must hold exactly {@code type.byteSize(elements)} bytes). */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, MemorySegment data) {
        long bytes = checkTensor(name, type, dims);
        if (data.byteSize() != bytes) {
            throw new IllegalArgumentException("tensor '" + name + "': " + type + " " + Arrays.toString(dims) + " needs " + bytes + " bytes, got " + data.byteSize());
        }
        tensors.add(new PendingTensor(name, type, dims.clone(), bytes, out -> writeFully(out, data.asByteBuffer())));
        return this;
    }

    /** Adds an F32 tensor with these values (ggml dims, ne0 first). */
    public GgufWriter addTensor(String name, long[] dims, float[] values) {
        MemorySegment seg = MemorySegment.ofArray(new byte[values.length * 4]);
        for (int i = 0; i < values.length; i++) seg.set(F32_LE, 4L * i, values[i]);
        return addTensor(name, GgmlType.F32, dims, seg);
    }

    /** Adds a tensor whose {@code type.byteSize(elements)} bytes are streamed by {@code source} when the file is written. */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, TensorSource source) {
        long bytes = checkTensor(name, type, dims);
        tensors.add(new PendingTensor(name, type, dims.clone(), bytes, source));
        return this;
    }

    /**
     * Adds a tensor of any type {@link Quantizer} supports whose rows are generated and quantized one at a time
     * while the file is written (so a multi-gigabyte random-weight model needs only one row in memory).
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, RowValues values) {
        if (!Quantizer.supportedTypes().contains(type)) {
            throw new IllegalArgumentException("tensor '" + name + "': no quantizer for " + type + " (supported: " + Quantizer.supportedTypes() + ")");
        }
        long bytes = checkTensor(name, type, dims);
        int cols = Math.toIntExact(dims[0]);
        long rows = cols == 0 ? 0 : bytes / type.byteSize(cols);
        tensors.add(new PendingTensor(name, type, dims.clone(), bytes, out -> {
            float[] row = new float[cols];
            byte[] packed = new byte[Math.toIntExact(type.byteSize(cols))];
            MemorySegment seg = MemorySegment.ofArray(packed);
            for (long r = 0; r < rows; r++) {
                values.fill(r, row);
                Quantizer.quantize(type, row, 0, cols, seg, 0);
                writeFully(out, ByteBuffer.wrap(packed));
            }
        }));
        return this;
    }

    private long checkTensor(String name, GgmlType type, long[] dims) {
        if (dims.length < 1 || dims.length > 4) throw new IllegalArgumentException("tensor '" + name + "': 1 to 4 dims, got " + dims.length);
        for (PendingTensor t : tensors) {
            if (t.name.equals(name)) throw new IllegalArgumentException("duplicate tensor '" + name + "'");
        }
        long n = 1;
        for (long d : dims) {
            if (d < 0) throw new IllegalArgumentException("tensor '" + name + "': negative dimension");
            n = Math.multiplyExact(n, d);
        }
        if (dims[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor '" + name + "': ne0=" + dims[0] + " is not a multiple of the " + type + " block size");
        }
        return type.byteSize(n);
    }

    /** Writes the file (replacing any existing file at {@code path}). */
    public void write(Path path) throws IOException {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            HeaderBuffer h = new HeaderBuffer();
            h.u32(GgufParser.MAGIC);
            h.u32(3);
            h.u64(tensors.size());
            h.u64(metadata.size());
            for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
                h.string(e.getKey());
                h.u32(e.getValue().type().id());
                h.value(e.getValue());
            }
            long offset = 0;
            long[] offsets = new long[tensors.size()];
            for (int i = 0; i < tensors.size(); i++) {
                PendingTensor t = tensors.get(i);
                h.string(t.name);
                h.u32(t.dims.length);
                for (long d : t.dims) h.u64(d);
                h.u32(t.type.id());
                h.u64(offset);
                offsets[i] = offset;
                offset = GgufParser.alignUp(offset + t.bytes, alignment);
            }
            long headerSize = h.size();
            h.pad(GgufParser.alignUp(headerSize, alignment) - headerSize);
            writeFully(ch, h.toByteBuffer());
            long dataStart = ch.position();
            for (int i = 0; i < tensors.size(); i++) {
                PendingTensor t = tensors.get(i);
                long before = ch.position();
                t.source.writeTo(ch);
                long written = ch.position() - before;
                if (written != t.bytes) {
                    throw new IOException("tensor '" + t.name + "': source wrote " + written + " bytes, expected " + t.bytes);
                }
                long end = dataStart + (i + 1 < tensors.size() ? offsets[i + 1] : GgufParser.alignUp(offsets[i] + t.bytes, alignment));
                writeFully(ch, ByteBuffer.allocate((int) (end - ch.position())));
            }
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeFully(WritableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }

    /** A growable little-endian buffer for the header, metadata and tensor infos. */
    private static final class HeaderBuffer {
        private ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        private void ensure(long n) {
            if (buf.remaining() < n) {
                long cap = Math.max((long) buf.capacity() * 2, buf.position() + n);
                if (cap > Integer.MAX_VALUE - 8) throw new IllegalStateException("GGUF header larger than 2 GiB");
                ByteBuffer bigger = ByteBuffer.allocate((int) cap).order(ByteOrder.LITTLE_ENDIAN);
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        long size() {
            return buf.position();
        }

        void u8(int v) {
            ensure(1);
            buf.put((byte) v);
        }

        void u16(int v) {
            ensure(2);
            buf.putShort((short) v);
        }

        void u32(int v) {
            ensure(4);
            buf.putInt(v);
        }

        void u64(long v) {
            ensure(8);
            buf.putLong(v);
        }

        void pad(long n) {
            ensure(n);
            for (long i = 0; i < n; i++) buf.put((byte) 0);
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            ensure(b.length);
            buf.put(b);
        }

        void value(GgufValue v) {
            if (v.type() == GgufValueType.ARRAY) {
                array(v.elementType(), v.value());
            } else {
                scalar(v.type(), v.value());
            }
        }

        private void scalar(GgufValueType t, Object o) {
            switch (t) {
                case UINT8, INT8 -> u8(((Number) o).intValue());
                case UINT16, INT16 -> u16(((Number) o).intValue());
                case UINT32, INT32 -> u32(((Number) o).intValue());
                case UINT64, INT64 -> u64(((Number) o).longValue());
                case FLOAT32 -> u32(Float.floatToRawIntBits(((Number) o).floatValue()));
                case FLOAT64 -> u64(Double.doubleToRawLongBits(((Number) o).doubleValue()));
                case BOOL -> u8((Boolean) o ? 1 : 0);
                case STRING -> string((String) o);
                case ARRAY -> throw new IllegalArgumentException("nested array needs a GgufValue");
            }
        }

        private void array(GgufValueType et, Object arr) {
            u32(et.id());
            int n = java.lang.reflect.Array.getLength(arr);
            u64(n);
            for (int i = 0; i < n; i++) {
                Object e = java.lang.reflect.Array.get(arr, i);
                if (et == GgufValueType.ARRAY) {
                    GgufValue inner = (GgufValue) e;
                    array(inner.elementType(), inner.value());
                } else {
                    scalar(et, e);
                }
            }
        }

        ByteBuffer toByteBuffer() {
            return buf.duplicate().flip();
        }
    }
}
