package dev.lectern.inference.onnx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an ONNX {@code GraphProto} that a weight loader needs: the nodes in file order, the initializers by
 * name and the names of the graph's inputs and outputs. {@code source} names the file in error messages.
 */
public final class OnnxGraph {
    private final String source;
    private final List<OnnxNode> nodes;
    private final Map<String, OnnxTensor> initializers;
    private final List<String> inputNames;
    private final List<String> outputNames;

    OnnxGraph(String source, List<OnnxNode> nodes, Map<String, OnnxTensor> initializers,
              List<String> inputNames, List<String> outputNames) {
        this.source = source;
        this.nodes = List.copyOf(nodes);
        this.initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
        this.inputNames = List.copyOf(inputNames);
        this.outputNames = List.copyOf(outputNames);
    }

    public String source() {
        return source;
    }

    public List<OnnxNode> nodes() {
        return nodes;
    }

    public Map<String, OnnxTensor> initializers() {
        return initializers;
    }

    public List<String> inputNames() {
        return inputNames;
    }

    public List<String> outputNames() {
        return outputNames;
    }

    public Optional<OnnxTensor> findInitializer(String name) {
        return Optional.ofNullable(initializers.get(name));
    }

    /** The initializer with this name; a clear error naming the file when it is absent. */
    public OnnxTensor initializer(String name) {
        OnnxTensor tensor = initializers.get(name);
        if (tensor == null) {
            throw new OnnxFormatException(source + ": the graph has no initializer named '" + name + "'");
        }
        return tensor;
    }

    public Optional<OnnxNode> findNode(String name) {
        for (OnnxNode node : nodes) {
            if (node.name().equals(name)) {
                return Optional.of(node);
            }
        }
        return Optional.empty();
    }

    /** The nodes of one operator type, in file order. */
    public List<OnnxNode> nodesOfType(String opType) {
        List<OnnxNode> found = new ArrayList<>();
        for (OnnxNode node : nodes) {
            if (node.opType().equals(opType)) {
                found.add(node);
            }
        }
        return found;
    }
}
