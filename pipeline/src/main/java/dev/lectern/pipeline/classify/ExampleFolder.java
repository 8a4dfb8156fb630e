package dev.lectern.pipeline.classify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Few-shot examples kept as files: {@code <folder>/<label>/<any name>.txt} (or {@code .md}), one example per file,
 * UTF-8. Files are read in name order so that the examples, and therefore the results, never depend on the file
 * system's listing order.
 */
public final class ExampleFolder {

    private ExampleFolder() {
    }

    /**
     * @return the labels with the folder's examples added to any inline ones
     * @throws IllegalArgumentException naming the folder or file when the folder is missing, a sub-folder is not a
     *                                  configured label, or a file is not UTF-8 text
     */
    public static List<Label> addExamples(List<Label> labels, Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("examplesDir " + folder + " is not a folder");
        }
        Set<String> names = new HashSet<>();
        labels.forEach(label -> names.add(label.name()));
        try (Stream<Path> children = Files.list(folder)) {
            for (Path child : children.sorted().toList()) {
                String name = child.getFileName().toString();
                if (Files.isDirectory(child) && !names.contains(name)) {
                    throw new IllegalArgumentException("examplesDir " + folder + " has a folder '" + name
                            + "' that is not one of the labels " + labels.stream().map(Label::name).toList());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list examplesDir " + folder, e);
        }
        List<Label> withExamples = new ArrayList<>();
        for (Label label : labels) {
            Path labelFolder = folder.resolve(label.name());
            withExamples.add(Files.isDirectory(labelFolder) ? label.withExamples(read(labelFolder)) : label);
        }
        return withExamples;
    }

    private static List<String> read(Path labelFolder) {
        List<String> examples = new ArrayList<>();
        try (Stream<Path> files = Files.list(labelFolder)) {
            for (Path file : files.filter(Files::isRegularFile).filter(ExampleFolder::isText).sorted().toList()) {
                String text = decode(file);
                if (!text.isBlank()) {
                    examples.add(text);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read examples in " + labelFolder, e);
        }
        return examples;
    }

    private static boolean isText(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".txt") || name.endsWith(".md");
    }

    private static String decode(Path file) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("example file " + file + " is not UTF-8 text");
        }
    }
}
