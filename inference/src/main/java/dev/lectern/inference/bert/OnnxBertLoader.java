package dev.lectern.inference.bert;

import dev.lectern.inference.onnx.OnnxDataType;
import dev.lectern.inference.onnx.OnnxFormatException;
import dev.lectern.inference.onnx.OnnxGraph;
import dev.lectern.inference.onnx.OnnxNode;
import dev.lectern.inference.onnx.OnnxTensor;
import dev.lectern.inference.tensor.GgmlType;
import dev.lectern.inference.tensor.Matrix;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link BertModel} from the ONNX export of a Hugging Face BERT encoder (the Optimum / transformers.js export
 * of sentence-transformers models such as all-MiniLM-L6-v2).
 *
 * <p>Embedding tables, biases and LayerNorm parameters are named initializers ({@code embeddings.word_embeddings.weight},
 * {@code encoder.layer.N.attention.self.query.bias} …). The weight matrices are not: the exporter folded each
 * {@code nn.Linear} into a MatMul whose second input is an anonymous {@code onnx::MatMul_N} initializer, stored
 * [in, out]. Each one is found through the node that consumes it ({@code /encoder/layer.N/attention/self/query/MatMul}),
 * and transposed once at load to the kernels' [out, in] rows (on the heap); the [in, out] original is then unreferenced
 * and freed.
 * The embedding tables are used in place, without a copy.
 *
 * <p>The head count and the LayerNorm epsilon are not stored as weights; the caller gives them (the model card's
 * {@code num_attention_heads}, and BERT's {@code layer_norm_eps} 1e-12).
 */
public final class OnnxBertLoader {
    /** BERT's LayerNorm epsilon ({@code layer_norm_eps} in every BERT config). */
    public static final float BERT_LAYER_NORM_EPS = 1e-12f;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final OnnxGraph graph;

    private OnnxBertLoader(OnnxGraph graph) {
        this.graph = graph;
    }

    /**
     * @param headCount attention heads per layer (12 for all-MiniLM-L6-v2)
     * @throws OnnxFormatException if the graph is not a BERT encoder of this shape, naming what is missing or wrong
     */
    public static BertModel load(OnnxGraph graph, int headCount, float layerNormEps) {
        return new OnnxBertLoader(graph).load(headCount, layerNormEps);
    }

    private BertModel load(int headCount, float layerNormEps) {
        OnnxTensor words = matrixTensor("embeddings.word_embeddings.weight");
        OnnxTensor positions = matrixTensor("embeddings.position_embeddings.weight");
        OnnxTensor types = matrixTensor("embeddings.token_type_embeddings.weight");
        int hidden = (int) words.dim(1);
        int layerCount = countLayers();
        if (layerCount == 0) {
            throw notBert("it has no MatMul node named '" + nodeName(0, "attention/self/query") + "'");
        }
        int intermediate = (int) consumedWeight(0, "intermediate/dense").dim(1);
        if (hidden % headCount != 0) {
            throw notBert("the hidden size " + hidden + " is not a multiple of " + headCount + " heads");
        }
        BertConfig config = new BertConfig((int) words.dim(0), hidden, layerCount, headCount, intermediate,
                (int) positions.dim(0), (int) types.dim(0), layerNormEps);
        List<BertLayer> layers = new ArrayList<>(layerCount);
        for (int i = 0; i < layerCount; i++) {
            layers.add(layer(i, config));
        }
        try {
            return new BertModel(graph.source(), config,
                    table(words, hidden), table(positions, hidden), table(types, hidden),
                    layerNorm("embeddings.LayerNorm", hidden, layerNormEps), layers);
        } catch (IllegalArgumentException e) {
            throw notBert(e.getMessage());
        }
    }

    private BertLayer layer(int i, BertConfig config) {
        int h = config.hiddenSize();
        int f = config.intermediateSize();
        String p = "encoder.layer." + i + ".";
        return new BertLayer(
                linear(i, "attention/self/query", h, h), vector(p + "attention.self.query.bias", h),
                linear(i, "attention/self/key", h, h), vector(p + "attention.self.key.bias", h),
                linear(i, "attention/self/value", h, h), vector(p + "attention.self.value.bias", h),
                linear(i, "attention/output/dense", h, h), vector(p + "attention.output.dense.bias", h),
                layerNorm(p + "attention.output.LayerNorm", h, config.layerNormEps()),
                linear(i, "intermediate/dense", h, f), vector(p + "intermediate.dense.bias", f),
                linear(i, "output/dense", f, h), vector(p + "output.dense.bias", h),
                layerNorm(p + "output.LayerNorm", h, config.layerNormEps()));
    }

    /** Layers are numbered from 0 without gaps; the count is the first number with no query MatMul. */
    private int countLayers() {
        int count = 0;
        while (graph.findNode(nodeName(count, "attention/self/query")).isPresent()) {
            count++;
        }
        return count;
    }

    private static String nodeName(int layer, String module) {
        return "/encoder/layer." + layer + "/" + module + "/MatMul";
    }

    /** The [in, out] weight that the module's MatMul node multiplies by. */
    private OnnxTensor consumedWeight(int layer, String module) {
        String name = nodeName(layer, module);
        OnnxNode node = graph.findNode(name).orElseThrow(() -> notBert("it has no MatMul node named '" + name + "'"));
        if (!node.opType().equals("MatMul") || node.inputs().size() != 2) {
            throw notBert("node '" + name + "' is a " + node.opType() + " with " + node.inputs().size()
                    + " inputs, expected a MatMul with 2");
        }
        String weightName = node.inputs().get(1);
        OnnxTensor weight = graph.findInitializer(weightName).orElseThrow(() -> notBert("the second input of '" + name
                + "', '" + weightName + "', is not an initializer (a weight)"));
        if (weight.dataType() != OnnxDataType.FLOAT || weight.rank() != 2) {
            throw notBert("'" + weightName + "' (used by '" + name + "') is " + weight.describe()
                    + ", expected a FLOAT matrix [in, out]");
        }
        return weight;
    }

    /**
     * The module's weight as an [out, in] matrix. ONNX stores it [in, out], which is already the column-by-column
     * layout of the engine's fastest batched F32 product ({@link Matrix#ofColumns}), so it is not transposed.
     */
    private Matrix linear(int layer, String module, int in, int out) {
        OnnxTensor weight = consumedWeight(layer, module);
        if (!weight.isFloatOfShape(in, out)) {
            throw notBert("'" + weight.name() + "' (used by '" + nodeName(layer, module) + "') is " + weight.describe()
                    + ", expected FLOAT[" + in + ", " + out + "]");
        }
        return Matrix.ofColumns(weight.data().toArray(F32), out, in);
    }

    private OnnxTensor matrixTensor(String name) {
        OnnxTensor tensor = graph.findInitializer(name).orElseThrow(() -> notBert("it has no initializer '" + name + "'"));
        if (tensor.dataType() != OnnxDataType.FLOAT || tensor.rank() != 2 || tensor.dim(0) < 1 || tensor.dim(1) < 1) {
            throw notBert("'" + name + "' is " + tensor.describe() + ", expected a FLOAT matrix");
        }
        return tensor;
    }

    /** An embedding table used in place: row r is the embedding of index r. */
    private Matrix table(OnnxTensor tensor, int hidden) {
        if (tensor.dim(1) != hidden) {
            throw notBert("'" + tensor.name() + "' is " + tensor.describe() + ", expected rows of " + hidden);
        }
        return Matrix.of(GgmlType.F32, tensor.data(), (int) tensor.dim(0), hidden);
    }

    private float[] vector(String name, int size) {
        OnnxTensor tensor = graph.findInitializer(name).orElseThrow(() -> notBert("it has no initializer '" + name + "'"));
        if (!tensor.isFloatOfShape(size)) {
            throw notBert("'" + name + "' is " + tensor.describe() + ", expected FLOAT[" + size + "]");
        }
        return tensor.data().toArray(F32);
    }

    private LayerNorm layerNorm(String prefix, int size, float eps) {
        return new LayerNorm(vector(prefix + ".weight", size), vector(prefix + ".bias", size), eps);
    }

    private OnnxFormatException notBert(String detail) {
        return new OnnxFormatException(graph.source() + ": not a BERT encoder of the expected shape: " + detail);
    }
}
