package dev.lectern.pipeline.config;

import java.nio.file.Path;

/**
 * A parsed job and where it came from: relative paths in the file are resolved against the file's folder, and
 * problems found after parsing are reported at the line the field is written on.
 */
public record JobFile(JobConfig config, Path source, LocationIndex locations) {

    /** The folder relative paths are resolved against. */
    public Path baseDir() {
        Path parent = source.toAbsolutePath().getParent();
        return parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    public Path resolve(String path) {
        return baseDir().resolve(path).normalize();
    }

    public Path inputFolder() {
        return resolve(config.input().folder());
    }

    public Path outputPath() {
        return resolve(config.output().path());
    }

    /** The model file, or null for the built-in default model. */
    public Path modelPath() {
        return config.model().isBuiltIn() ? null : resolve(config.model().path());
    }

    public JobFile with(JobConfig newConfig) {
        return new JobFile(newConfig, source, locations);
    }

    /** An error about one field, as one line: {@code jobs/x.yaml, line 7: task.labels: ...}. */
    public ConfigException error(String fieldPath, String problem) {
        int line = locations.lineOf(fieldPath);
        return new ConfigException(source + (line > 0 ? ", line " + line : "") + ": " + fieldPath + ": " + problem);
    }
}
