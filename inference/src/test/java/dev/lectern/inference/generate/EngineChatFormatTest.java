package dev.lectern.inference.generate;

import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.gguf.GgufTensor;
import dev.lectern.inference.gguf.GgufWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A chat template no known format matches does not make a model unusable; a format can be named instead. */
class EngineChatFormatTest {

    @TempDir
    Path dir;

    /** stories260K with {@code tokenizer.chat_template} set to {@code template}. */
    private Path withTemplate(String template) throws IOException {
        GgufFile source = GgufFile.open(Reference.model("gguf/stories260K.gguf"));
        GgufWriter writer = new GgufWriter();
        source.metadata().asMap().forEach((key, value) -> {
            if (!key.equals("general.alignment") && !key.equals("tokenizer.chat_template")) writer.put(key, value);
        });
        writer.putString("tokenizer.chat_template", template);
        for (GgufTensor t : source.tensors()) writer.addTensor(t.name(), t.type(), t.dims(), t.data());
        Path file = dir.resolve("custom-template.gguf");
        writer.write(file);
        return file;
    }

    @Test
    void anUnknownTemplateFallsBackToPlainCompletion() throws IOException {
        Path file = withTemplate("{% for m in messages %}### {{ m.role }}: {{ m.content }}{% endfor %}");
        try (Engine engine = Engine.load(file, 1)) {
            assertEquals("plain", engine.chatFormat().name());
            GenerationResult r = engine.generate("Once upon a time", true, GenerationOptions.greedy(4), (id, piece) -> {});
            assertEquals(4, r.generatedIds().length);
        }
    }

    @Test
    void aNamedFormatOverridesTheTemplate() throws IOException {
        Path file = withTemplate("{% weird %}");
        try (Engine engine = Engine.load(file, 1, "chatml")) {
            assertEquals("chatml", engine.chatFormat().name());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Engine.load(file, 1, "chatgpt"));
        assertTrue(e.getMessage().contains("chatgpt"), e.getMessage());
    }
}
