package dev.lectern.pipeline.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleFolderTest {

    private static final List<Label> LABELS = List.of(new Label("cooking", null, List.of("inline recipe")),
            new Label("sports", null, List.of()));

    @TempDir
    Path folder;

    @Test
    void readsOneExamplePerTextFileInNameOrder() throws IOException {
        Files.createDirectories(folder.resolve("cooking"));
        Files.createDirectories(folder.resolve("sports"));
        Files.writeString(folder.resolve("cooking/b.txt"), "Bake bread.");
        Files.writeString(folder.resolve("cooking/a.md"), "Boil pasta.");
        Files.writeString(folder.resolve("cooking/notes.bin"), "ignored");
        Files.writeString(folder.resolve("sports/1.txt"), "A late goal.");
        List<Label> labels = ExampleFolder.addExamples(LABELS, folder);
        assertEquals(List.of("inline recipe", "Boil pasta.", "Bake bread."), labels.get(0).examples());
        assertEquals(List.of("A late goal."), labels.get(1).examples());
    }

    @Test
    void aFolderForAnUnknownLabelIsAnError() throws IOException {
        Files.createDirectories(folder.resolve("cookery"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExampleFolder.addExamples(LABELS, folder));
        assertTrue(e.getMessage().contains("'cookery'"), e.getMessage());
    }

    @Test
    void aMissingFolderIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExampleFolder.addExamples(LABELS, folder.resolve("nope")));
        assertTrue(e.getMessage().contains("is not a folder"), e.getMessage());
    }

    @Test
    void aFileThatIsNotUtf8IsAnError() throws IOException {
        Files.createDirectories(folder.resolve("sports"));
        Files.write(folder.resolve("sports/latin1.txt"), new byte[]{'g', 'o', 'a', 'l', (byte) 0xE9, (byte) 0xFF});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExampleFolder.addExamples(LABELS, folder));
        assertTrue(e.getMessage().contains("latin1.txt is not UTF-8"), e.getMessage());
    }
}
