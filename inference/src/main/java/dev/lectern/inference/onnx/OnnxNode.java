package dev.lectern.inference.onnx;

import java.util.List;

/** One {@code NodeProto}: only what is needed to tie weights to the operations that use them (attributes are skipped). */
public record OnnxNode(String name, String opType, List<String> inputs, List<String> outputs) {
    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
