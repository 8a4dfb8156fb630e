package dev.lectern.inference.gguf;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Locates the shared fixtures copied into the test resources ({@code src/test/resources/shared}). */
public final class TestModels {
    private TestModels() {}

    /** A path under {@code shared/}, e.g. {@code models/gguf/stories260K.gguf}. */
    public static Path shared(String relative) {
        URL url = TestModels.class.getResource("/shared/" + relative);
        if (url == null) throw new IllegalStateException("test resource shared/" + relative + " is missing");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
