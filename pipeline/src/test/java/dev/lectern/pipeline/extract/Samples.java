package dev.lectern.pipeline.extract;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's {@code samples/} folder from wherever the tests run (the module folder, or the root). */
final class Samples {

    private Samples() {
    }

    static Path dir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path samples = dir.resolve("samples");
            if (Files.isRegularFile(samples.resolve("README.md"))) {
                return samples;
            }
        }
        throw new IllegalStateException("no samples/ folder above " + Path.of("").toAbsolutePath());
    }

    static Path file(String name) {
        return dir().resolve(name);
    }
}
