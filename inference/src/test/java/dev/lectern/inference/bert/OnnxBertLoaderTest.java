package dev.lectern.inference.bert;

import com.google.protobuf.CodedOutputStream;
import dev.lectern.inference.onnx.OnnxFormatException;
import dev.lectern.inference.onnx.OnnxGraph;
import dev.lectern.inference.onnx.OnnxModelReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Graphs that are not BERT encoders of the expected shape are rejected with a message naming what is wrong. */
class OnnxBertLoaderTest {

    @Test
    void aGraphWithoutPositionEmbeddingsNamesTheMissingWeight() throws IOException {
        OnnxGraph graph = graph(List.of(tensor("embeddings.word_embeddings.weight", 10, 4)), List.of());
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxBertLoader.load(graph, 2, 1e-12f));
        assertEquals("tiny.onnx: not a BERT encoder of the expected shape: it has no initializer "
                + "'embeddings.position_embeddings.weight'", e.getMessage());
    }

    @Test
    void aGraphWithoutLayersNamesTheMissingNode() throws IOException {
        OnnxGraph graph = graph(List.of(tensor("embeddings.word_embeddings.weight", 10, 4),
                tensor("embeddings.position_embeddings.weight", 8, 4),
                tensor("embeddings.token_type_embeddings.weight", 2, 4)), List.of());
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxBertLoader.load(graph, 2, 1e-12f));
        assertEquals("tiny.onnx: not a BERT encoder of the expected shape: it has no MatMul node named "
                + "'/encoder/layer.0/attention/self/query/MatMul'", e.getMessage());
    }

    @Test
    void aWeightOfTheWrongShapeIsNamedWithItsNode() throws IOException {
        byte[] query = node("/encoder/layer.0/attention/self/query/MatMul", "MatMul", "x", "onnx::MatMul_1");
        byte[] intermediate = node("/encoder/layer.0/intermediate/dense/MatMul", "MatMul", "y", "onnx::MatMul_2");
        OnnxGraph graph = graph(List.of(tensor("embeddings.word_embeddings.weight", 10, 4),
                tensor("embeddings.position_embeddings.weight", 8, 4),
                tensor("embeddings.token_type_embeddings.weight", 2, 4),
                tensor("onnx::MatMul_1", 4, 3), tensor("onnx::MatMul_2", 4, 6),
                tensor("encoder.layer.0.attention.self.query.bias", 4)), List.of(query, intermediate));
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxBertLoader.load(graph, 2, 1e-12f));
        assertEquals("tiny.onnx: not a BERT encoder of the expected shape: 'onnx::MatMul_1' (used by "
                + "'/encoder/layer.0/attention/self/query/MatMul') is onnx::MatMul_1 FLOAT[4, 3], expected FLOAT[4, 4]",
                e.getMessage());
    }

    /** A ModelProto whose graph holds these nodes and FLOAT initializers (zeros), written with protobuf-java. */
    static OnnxGraph graph(List<byte[]> initializers, List<byte[]> nodes) throws IOException {
        ByteArrayOutputStream graph = new ByteArrayOutputStream();
        CodedOutputStream g = CodedOutputStream.newInstance(graph);
        for (byte[] node : nodes) {
            g.writeByteArray(1, node);
        }
        for (byte[] tensor : initializers) {
            g.writeByteArray(5, tensor);
        }
        g.flush();
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        CodedOutputStream m = CodedOutputStream.newInstance(model);
        m.writeInt64(1, 8);
        m.writeByteArray(7, graph.toByteArray());
        m.flush();
        return OnnxModelReader.read(new ByteArrayInputStream(model.toByteArray()), "tiny.onnx");
    }

    static byte[] tensor(String name, long... dims) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        long count = 1;
        for (long dim : dims) {
            out.writeInt64(1, dim);
            count *= dim;
        }
        out.writeInt32(2, 1);
        out.writeString(8, name);
        out.writeByteArray(9, new byte[(int) count * 4]);
        out.flush();
        return bytes.toByteArray();
    }

    static byte[] node(String name, String opType, String... inputs) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (String input : inputs) {
            out.writeString(1, input);
        }
        out.writeString(2, name + "_output_0");
        out.writeString(3, name);
        out.writeString(4, opType);
        out.flush();
        return bytes.toByteArray();
    }
}
