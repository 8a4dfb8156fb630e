package dev.lectern.pipeline.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lectern.pipeline.model.FileDigests;
import dev.lectern.pipeline.model.ModelSpec;
import dev.lectern.pipeline.summarize.ExtractiveSummarizer;
import dev.lectern.pipeline.summarize.Summary;
import dev.lectern.pipeline.summarize.SummarizerSettings;

/** Which models the summarize and classify tasks accept, and how they are named and shared. */
class SentenceEncodersTest {

    /** The shared fixtures' copies live in the inference module's test resources. */
    private static Path synthetic(String name) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path file = d.resolve("inference/src/test/resources/shared/models/synthetic").resolve(name);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new IllegalStateException("no fixture " + name + " above " + Path.of("").toAbsolutePath());
    }

    @Test
    void theBuiltInModelAndGgufBertFilesAreSentenceEncodersOthersAreNot(@TempDir Path dir) throws IOException {
        assertTrue(SentenceEncoders.supports(ModelSpec.builtIn()));
        assertTrue(SentenceEncoders.supports(ModelSpec.of(synthetic("tiny-bert-f16.gguf"))));
        assertFalse(SentenceEncoders.supports(ModelSpec.of(synthetic("tiny-llama3-f32.gguf"))));
        Path notGguf = Files.writeString(dir.resolve("broken.gguf"), "not a gguf file");
        assertFalse(SentenceEncoders.supports(ModelSpec.of(notGguf)));
        assertFalse(SentenceEncoders.supports(ModelSpec.of(dir.resolve("model.onnx"))));
    }

    @Test
    void aGgufBertIsNamedByItsFileAndSharedByEveryCaller() throws IOException {
        ModelSpec spec = ModelSpec.of(synthetic("tiny-bert-f16.gguf"));
        assertEquals("tiny-bert-f16.gguf", SentenceEncoders.identity(spec).id());
        assertEquals(FileDigests.sha256(spec.file()), SentenceEncoders.identity(spec).sha256());
        Embedder embedder = SentenceEncoders.embedder(spec);
        assertSame(embedder, SentenceEncoders.embedder(spec));

        Summary summary = new ExtractiveSummarizer(embedder, new SentenceSplitter(), SummarizerSettings.of(2, 0))
                .summarize("The first sentence is here at last. A second sentence follows it closely. "
                        + "The third sentence ends this short text.");
        assertEquals(2, summary.sentences().size());
        assertTrue(List.of(0, 1, 2).containsAll(summary.sentences().stream().map(s -> s.index()).toList()));
    }

    @Test
    void theBuiltInModelIsNamedByItsWeights() {
        assertEquals("all-MiniLM-L6-v2", SentenceEncoders.identity(ModelSpec.builtIn()).id());
        assertEquals(64, SentenceEncoders.identity(ModelSpec.builtIn()).sha256().length());
    }
}
