package dev.lectern.inference.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the weights and the node list of an ONNX model ({@code ModelProto → GraphProto}) with protobuf-java's
 * wire-format reader, without generated ONNX classes. The file is streamed once: each initializer's data goes straight
 * into its own off-heap segment, so a 90 MB model costs 90 MB of memory, not twice that.
 *
 * <p>Field numbers are those of {@code onnx.proto} (ONNX IR version 3 and later). Node attributes, value infos,
 * sparse initializers, functions and training info are skipped: a weight loader needs none of them.
 */
public final class OnnxModelReader {
    // ModelProto
    private static final int MODEL_GRAPH = 7;
    // GraphProto
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    // NodeProto
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    // ValueInfoProto
    private static final int VALUE_INFO_NAME = 1;
    // TensorProto
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_INT32_DATA = 5;
    private static final int TENSOR_INT64_DATA = 7;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int TENSOR_DOUBLE_DATA = 10;
    private static final int TENSOR_DATA_LOCATION = 14;
    private static final int DATA_LOCATION_EXTERNAL = 1;

    /** Bytes copied per step from the protobuf stream into a tensor's segment. */
    private static final int COPY_CHUNK = 1 << 18;
    private static final int STREAM_BUFFER = 1 << 20;

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String source;

    private OnnxModelReader(String source) {
        this.source = source;
    }

    /** Reads an ONNX file from disk. */
    public static OnnxGraph read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new OnnxFormatException(file + ": no such ONNX file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the ONNX file", e);
        }
    }

    /** Reads an ONNX model from a stream (for example a classpath resource inside a jar); {@code source} names it in errors. */
    public static OnnxGraph read(InputStream in, String source) {
        CodedInputStream coded = CodedInputStream.newInstance(new BufferedInputStream(in, STREAM_BUFFER), STREAM_BUFFER);
        coded.setSizeLimit(Integer.MAX_VALUE);
        try {
            return new OnnxModelReader(source).readModel(coded);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxFormatException(source + ": not a readable ONNX model (protobuf error: " + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": cannot read the ONNX model", e);
        }
    }

    private OnnxGraph readModel(CodedInputStream in) throws IOException {
        OnnxGraph graph = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (fieldOf(tag) == MODEL_GRAPH && isLengthDelimited(tag)) {
                int oldLimit = in.pushLimit(in.readRawVarint32());
                graph = readGraph(in);
                in.popLimit(oldLimit);
            } else {
                in.skipField(tag);
            }
        }
        if (graph == null) {
            throw new OnnxFormatException(source + ": not an ONNX model: ModelProto has no graph (field " + MODEL_GRAPH + ")");
        }
        return graph;
    }

    private OnnxGraph readGraph(CodedInputStream in) throws IOException {
        List<OnnxNode> nodes = new ArrayList<>();
        Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = fieldOf(tag);
            if (!isLengthDelimited(tag) || (field != GRAPH_NODE && field != GRAPH_INITIALIZER
                    && field != GRAPH_INPUT && field != GRAPH_OUTPUT)) {
                in.skipField(tag);
                continue;
            }
            int oldLimit = in.pushLimit(in.readRawVarint32());
            switch (field) {
                case GRAPH_NODE -> nodes.add(readNode(in));
                case GRAPH_INITIALIZER -> {
                    OnnxTensor tensor = readTensor(in, initializers.size());
                    if (tensor != null) {
                        initializers.put(tensor.name(), tensor);
                    }
                }
                case GRAPH_INPUT -> inputs.add(readValueInfoName(in));
                default -> outputs.add(readValueInfoName(in));
            }
            in.popLimit(oldLimit);
        }
        return new OnnxGraph(source, nodes, initializers, inputs, outputs);
    }

    private static OnnxNode readNode(CodedInputStream in) throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String opType = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (isLengthDelimited(tag) ? fieldOf(tag) : -1) {
                case NODE_INPUT -> inputs.add(in.readString());
                case NODE_OUTPUT -> outputs.add(in.readString());
                case NODE_NAME -> name = in.readString();
                case NODE_OP_TYPE -> opType = in.readString();
                default -> in.skipField(tag);
            }
        }
        return new OnnxNode(name, opType, inputs, outputs);
    }

    private static String readValueInfoName(CodedInputStream in) throws IOException {
        String name = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (fieldOf(tag) == VALUE_INFO_NAME && isLengthDelimited(tag)) {
                name = in.readString();
            } else {
                in.skipField(tag);
            }
        }
        return name;
    }

    /**
     * Reads one {@code TensorProto}. Exporters write fields in field-number order, so dims and type are known when the
     * raw data arrives and it is copied straight into a segment of the right size; otherwise it is kept as bytes until
     * the end of the message. Returns null for element types without a fixed size (strings), which no weight uses.
     */
    private OnnxTensor readTensor(CodedInputStream in, int index) throws IOException {
        TensorBuilder tensor = new TensorBuilder();
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = fieldOf(tag);
            int wireType = tag & 7;
            switch (field) {
                case TENSOR_DIMS -> readInt64s(in, wireType, tensor.dims);
                case TENSOR_DATA_TYPE -> tensor.dataTypeCode = in.readInt32();
                case TENSOR_NAME -> tensor.name = in.readString();
                case TENSOR_DATA_LOCATION -> tensor.external = in.readEnum() == DATA_LOCATION_EXTERNAL;
                case TENSOR_RAW_DATA -> readRawData(in, tensor);
                case TENSOR_FLOAT_DATA -> readFixed32s(in, wireType, tensor.typedValues);
                case TENSOR_DOUBLE_DATA -> readFixed64s(in, wireType, tensor.typedValues);
                case TENSOR_INT32_DATA, TENSOR_INT64_DATA -> readInt64s(in, wireType, tensor.typedValues);
                default -> in.skipField(tag);
            }
        }
        return tensor.build(index);
    }

    private void readRawData(CodedInputStream in, TensorBuilder tensor) throws IOException {
        int length = in.readRawVarint32();
        OnnxDataType type = OnnxDataType.ofCode(tensor.dataTypeCode);
        if (type == null || tensor.dims.isEmpty() && length != type.byteSize()) {
            tensor.pendingRaw = in.readRawBytes(length);
            return;
        }
        tensor.checkLength(length, type);
        MemorySegment segment = Arena.ofAuto().allocate(length, 64);
        long copied = 0;
        while (copied < length) {
            int step = (int) Math.min(COPY_CHUNK, length - copied);
            byte[] chunk = in.readRawBytes(step);
            MemorySegment.copy(chunk, 0, segment, ValueLayout.JAVA_BYTE, copied, step);
            copied += step;
        }
        tensor.data = segment;
    }

    private static void readInt64s(CodedInputStream in, int wireType, List<Number> into) throws IOException {
        if (wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int oldLimit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
                into.add(in.readInt64());
            }
            in.popLimit(oldLimit);
        } else {
            into.add(in.readInt64());
        }
    }

    private static void readFixed32s(CodedInputStream in, int wireType, List<Number> into) throws IOException {
        if (wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int oldLimit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
                into.add(in.readFloat());
            }
            in.popLimit(oldLimit);
        } else {
            into.add(in.readFloat());
        }
    }

    private static void readFixed64s(CodedInputStream in, int wireType, List<Number> into) throws IOException {
        if (wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int oldLimit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
                into.add(in.readDouble());
            }
            in.popLimit(oldLimit);
        } else {
            into.add(in.readDouble());
        }
    }

    private static int fieldOf(int tag) {
        return tag >>> 3;
    }

    private static boolean isLengthDelimited(int tag) {
        return (tag & 7) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    /** The fields of one TensorProto as they arrive. */
    private final class TensorBuilder {
        final List<Number> dims = new ArrayList<>();
        final List<Number> typedValues = new ArrayList<>();
        int dataTypeCode;
        String name = "";
        boolean external;
        MemorySegment data;
        byte[] pendingRaw;

        long[] dimsArray() {
            long[] array = new long[dims.size()];
            for (int i = 0; i < array.length; i++) {
                array[i] = dims.get(i).longValue();
                if (array[i] < 0) {
                    throw new OnnxFormatException(source + ": initializer '" + name + "' has a negative dimension " + array[i]);
                }
            }
            return array;
        }

        String label(int index) {
            return name.isEmpty() ? "initializer #" + index : "initializer '" + name + "'";
        }

        void checkLength(long length, OnnxDataType type) {
            long expected = Math.multiplyExact(OnnxTensor.elementCount(dimsArray()), type.byteSize());
            if (length != expected) {
                throw new OnnxFormatException(source + ": " + label(-1) + " (" + type + " " + dims + ") has " + length
                        + " bytes of raw_data, expected " + expected);
            }
        }

        OnnxTensor build(int index) {
            if (external) {
                throw new OnnxFormatException(source + ": " + label(index)
                        + " keeps its data in an external file, which is not supported; export the model with the weights inside");
            }
            OnnxDataType type = OnnxDataType.ofCode(dataTypeCode);
            if (type == null) {
                return null;
            }
            long[] shape = dimsArray();
            if (data == null && pendingRaw != null) {
                checkLength(pendingRaw.length, type);
                data = Arena.ofAuto().allocate(Math.max(1, pendingRaw.length), 64).asSlice(0, pendingRaw.length);
                MemorySegment.copy(pendingRaw, 0, data, ValueLayout.JAVA_BYTE, 0, pendingRaw.length);
            } else if (data == null) {
                data = fromTypedValues(type, shape, index);
            }
            return new OnnxTensor(name, shape, type, data);
        }

        private MemorySegment fromTypedValues(OnnxDataType type, long[] shape, int index) {
            long count = OnnxTensor.elementCount(shape);
            if (typedValues.size() != count) {
                throw new OnnxFormatException(source + ": " + label(index) + " (" + type + " " + dims + ") holds "
                        + typedValues.size() + " values, expected " + count);
            }
            MemorySegment segment = Arena.ofAuto().allocate(Math.max(1, count * type.byteSize()), 64)
                    .asSlice(0, count * type.byteSize());
            for (int i = 0; i < count; i++) {
                Number value = typedValues.get(i);
                switch (type) {
                    case FLOAT -> segment.setAtIndex(F32, i, value.floatValue());
                    case DOUBLE -> segment.setAtIndex(F64, i, value.doubleValue());
                    case INT64, UINT64 -> segment.setAtIndex(I64, i, value.longValue());
                    case INT32, UINT32 -> segment.setAtIndex(I32, i, value.intValue());
                    case INT16, UINT16, FLOAT16, BFLOAT16 ->
                            segment.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 2L * i, value.shortValue());
                    case INT8, UINT8, BOOL -> segment.set(ValueLayout.JAVA_BYTE, i, value.byteValue());
                }
            }
            return segment;
        }
    }
}
