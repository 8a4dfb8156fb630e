package dev.lectern.inference.onnx;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxModelReaderTest {
    static final String MODEL = "all-minilm-l6-v2.onnx";
    static OnnxGraph graph;

    @BeforeAll
    static void readModel() throws IOException {
        try (InputStream in = OnnxModelReaderTest.class.getClassLoader().getResourceAsStream(MODEL)) {
            graph = OnnxModelReader.read(in, MODEL);
        }
    }

    @Test
    void readsTheNodesInputsAndOutputsOfMiniLm() {
        assertEquals(637, graph.nodes().size());
        assertEquals(48, graph.nodesOfType("MatMul").size());
        assertEquals(6, graph.nodesOfType("Erf").size());
        assertEquals(java.util.List.of("input_ids", "attention_mask", "token_type_ids"), graph.inputNames());
        assertEquals(java.util.List.of("last_hidden_state"), graph.outputNames());
        OnnxNode query = graph.findNode("/encoder/layer.0/attention/self/query/MatMul").orElseThrow();
        assertEquals("MatMul", query.opType());
        assertEquals("onnx::MatMul_787", query.inputs().get(1));
    }

    @Test
    void readsEveryInitializerWithItsShapeAndData() {
        assertEquals(102, graph.initializers().size());
        long anonymous = graph.initializers().keySet().stream().filter(n -> n.startsWith("onnx::MatMul_")).count();
        assertEquals(36, anonymous);
        OnnxTensor words = graph.initializer("embeddings.word_embeddings.weight");
        assertTrue(words.isFloatOfShape(30522, 384));
        assertEquals(30522L * 384 * 4, words.data().byteSize());
        OnnxTensor query = graph.initializer("onnx::MatMul_787");
        assertTrue(query.isFloatOfShape(384, 384), query.describe());
        OnnxTensor intermediate = graph.initializer(graph.findNode("/encoder/layer.0/intermediate/dense/MatMul")
                .orElseThrow().inputs().get(1));
        assertTrue(intermediate.isFloatOfShape(384, 1536), intermediate.describe());
        OnnxTensor positions = graph.initializer("embeddings.position_ids");
        assertEquals(OnnxDataType.INT64, positions.dataType());
        assertArrayEquals(new long[] {1, 512}, positions.dims());
        assertEquals(511L, positions.data().getAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 511));
        long bytes = graph.initializers().values().stream().mapToLong(t -> t.data().byteSize()).sum();
        assertTrue(bytes > 90_000_000L && bytes < 90_387_606L, "weights hold " + bytes + " bytes");
        // LayerNorm weights are not all equal to one: real data, not zeros or a placeholder
        OnnxTensor gamma = graph.initializer("encoder.layer.3.output.LayerNorm.weight");
        float first = gamma.getFloat(0);
        assertTrue(Arrays.stream(new int[] {1, 2, 3, 100, 383}).anyMatch(i -> gamma.getFloat(i) != first));
    }

    @Test
    void aMissingInitializerIsAClearError() {
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> graph.initializer("no.such.weight"));
        assertTrue(e.getMessage().contains(MODEL) && e.getMessage().contains("no.such.weight"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsAClearError() throws IOException {
        byte[] head;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(MODEL)) {
            head = in.readNBytes(200_000);
        }
        OnnxFormatException e = assertThrows(OnnxFormatException.class,
                () -> OnnxModelReader.read(new ByteArrayInputStream(head), "cut.onnx"));
        assertTrue(e.getMessage().startsWith("cut.onnx: not a readable ONNX model"), e.getMessage());
    }

    @Test
    void aFileWithoutAGraphIsAClearError() {
        byte[] notOnnx = "plain text, not protobuf\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        OnnxFormatException e = assertThrows(OnnxFormatException.class,
                () -> OnnxModelReader.read(new ByteArrayInputStream(notOnnx), "notes.txt"));
        assertTrue(e.getMessage().startsWith("notes.txt: "), e.getMessage());
        OnnxFormatException empty = assertThrows(OnnxFormatException.class,
                () -> OnnxModelReader.read(new ByteArrayInputStream(new byte[0]), "empty.onnx"));
        assertTrue(empty.getMessage().contains("has no graph"), empty.getMessage());
    }
}
