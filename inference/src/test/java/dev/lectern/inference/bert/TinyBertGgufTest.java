package dev.lectern.inference.bert;

import static dev.lectern.inference.testing.ReferenceValues.ints;
import static dev.lectern.inference.testing.ReferenceValues.floats;
import static dev.lectern.inference.testing.ReferenceValues.cosine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lectern.inference.embed.GgufEmbeddingModel;
import dev.lectern.inference.embed.MeanPooling;
import dev.lectern.inference.embed.Pooling;
import dev.lectern.inference.embed.SentenceEmbedder;
import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.tensor.Parallel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same BERT forward on a GGUF {@code bert} file, against llama.cpp's embeddings of the synthetic tiny model. */
class TinyBertGgufTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static Path resource(String name) throws URISyntaxException {
        return Path.of(TinyBertGgufTest.class.getClassLoader().getResource(name).toURI());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void matchesLlamaCpp(int index) throws IOException, URISyntaxException {
        JsonNode ref = JSON.readTree(resource("shared/reference/tiny-bert-f16/embd_" + index + ".json").toFile());
        Path model = resource("shared/models/synthetic/tiny-bert-f16.gguf");
        SentenceEmbedder embedder = GgufEmbeddingModel.open(model, Parallel.serial());
        assertEquals(Pooling.MEAN, embedder.pooling());
        assertEquals(32, embedder.dimension());
        String text = ref.get("prompt_text").textValue();
        int[] ids = embedder.tokenizer().encodeForModel(text);
        assertArrayEquals(ints(ref.get("prompt_ids")), ids);

        BertModel bert = GgufBertLoader.load(GgufFile.open(model));
        float[] hidden = new BertEncoder(bert).forward(new int[][] {ids}, Parallel.serial());
        float[] mean = MeanPooling.mean(hidden, 0, ids.length, 32);
        float[] expectedMean = floats(ref.get("embedding"));
        double maxDiff = 0;
        for (int i = 0; i < 32; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expectedMean[i] - mean[i]));
        }
        float[] normalized = embedder.embed(text);
        double cosine = cosine(floats(ref.get("embedding_normalized")), normalized);
        System.out.printf("%s: mean max|Δ| %.2e, cosine %.8f%n", text, maxDiff, cosine);
        // ggml's CPU GELU reads an F16 table (the tanh form), so llama.cpp's values carry ~5e-4 of that rounding
        assertTrue(maxDiff < 1e-3, "mean-pooled max |Δ| " + maxDiff);
        assertTrue(cosine > 0.99999, "cosine " + cosine);
    }

    @org.junit.jupiter.api.Test
    void aGgufOfAnotherArchitectureIsAClearError() throws URISyntaxException {
        Path llama = resource("shared/models/gguf/stories260K.gguf");
        dev.lectern.inference.gguf.GgufFormatException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.lectern.inference.gguf.GgufFormatException.class, () -> GgufBertLoader.load(GgufFile.open(llama)));
        assertTrue(e.getMessage().endsWith("stories260K.gguf: general.architecture is 'llama', expected 'bert'"), e.getMessage());
    }
}
