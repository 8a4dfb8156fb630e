package dev.lectern.pipeline.config;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * Checks what parsing cannot: values in range, folders and files that exist, a label set that makes sense.
 * Runs before anything else, so a typo never costs a half-finished run. The first problem is reported.
 */
public final class JobValidator {

    private JobValidator() {
    }

    public static void validate(JobFile job) {
        JobConfig c = job.config();
        Path folder = job.inputFolder();
        if (!Files.exists(folder)) {
            throw job.error("input.folder", "folder " + folder + " does not exist");
        }
        if (!Files.isDirectory(folder)) {
            throw job.error("input.folder", folder + " is not a folder");
        }
        checkGlobs(job, "input.include", c.input().include());
        checkGlobs(job, "input.exclude", c.input().exclude());
        positive(job, "input.maxFileSize", c.input().maxFileSize().bytes());

        ExtractionConfig x = c.extraction();
        positive(job, "extraction.maxCharacters", x.maxCharacters());
        positive(job, "extraction.timeout", x.timeout().millis());
        atLeast(job, "extraction.maxEmbeddedDepth", x.maxEmbeddedDepth(), 0);
        atLeast(job, "extraction.maxEmbeddedCount", x.maxEmbeddedCount(), 0);

        Path model = job.modelPath();
        if (model != null && !Files.isRegularFile(model)) {
            throw job.error("model.path", "model file " + model + " does not exist");
        }
        String chatFormat = c.model().chatFormat();
        if (chatFormat != null) {
            if (model == null) {
                throw job.error("model.chatFormat", "a chat format needs a GGUF language model in model.path");
            }
            try {
                dev.lectern.inference.chat.ChatFormats.forName(chatFormat);
            } catch (IllegalArgumentException e) {
                throw job.error("model.chatFormat", "expected llama3, chatml, qwen3, llama2, mistral, phi3, harmony or plain, got '"
                        + chatFormat + "'");
            }
        }
        Path output = job.outputPath();
        if (Files.isDirectory(output)) {
            throw job.error("output.path", output + " is a folder; expected the path of a .jsonl file");
        }
        if (c.workers() < 1 || c.workers() > 1024) {
            throw job.error("workers", "expected a whole number from 1 to 1024, got " + c.workers());
        }

        switch (c.task()) {
            case SummarizeOptions s -> validateSummarize(job, s);
            case ClassifyOptions k -> validateClassify(job, k);
            default -> {
            }
        }
    }

    private static void validateSummarize(JobFile job, SummarizeOptions s) {
        atLeast(job, "task.maxSentences", s.maxSentences(), 1);
        atLeast(job, "task.maxTokens", s.maxTokens(), 1);
        fraction(job, "task.diversity", s.diversity());
        fraction(job, "task.positionWeight", s.positionWeight());
        validateChunk(job, s.chunk());
        template(job, "task.promptTemplate", s.promptTemplate());
        template(job, "task.reducePromptTemplate", s.reducePromptTemplate());
        if (s.temperature() < 0) {
            throw job.error("task.temperature", "expected 0 (greedy) or more, got " + s.temperature());
        }
        if (s.topP() <= 0 || s.topP() > 1) {
            throw job.error("task.topP", "expected a number above 0 and at most 1, got " + s.topP());
        }
        atLeast(job, "task.batchSize", s.batchSize(), 1);
    }

    private static void validateClassify(JobFile job, ClassifyOptions k) {
        List<LabelSpec> labels = k.labels();
        if (labels.size() < 2) {
            throw job.error("task.labels", "expected at least two labels, got " + labels.size());
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < labels.size(); i++) {
            String name = labels.get(i).name();
            if (name == null || name.isBlank()) {
                throw job.error("task.labels[" + i + "].name", "a label needs a non-empty name");
            }
            if (!names.add(name)) {
                throw job.error("task.labels[" + i + "].name", "label '" + name + "' is listed twice");
            }
        }
        if (k.examplesFolder() != null) {
            Path folder = job.resolve(k.examplesFolder());
            if (!Files.isDirectory(folder)) {
                throw job.error("task.examplesFolder", "folder " + folder + " does not exist");
            }
            try (var children = Files.list(folder)) {
                for (Path child : children.filter(Files::isDirectory).sorted().toList()) {
                    String name = child.getFileName().toString();
                    if (!names.contains(name)) {
                        throw job.error("task.examplesFolder", "sub-folder '" + name
                                + "' is not one of the labels " + names.stream().sorted().toList());
                    }
                }
            } catch (java.io.IOException e) {
                throw job.error("task.examplesFolder", "cannot be read (" + e.getMessage() + ")");
            }
        }
        boolean hasExamples = k.examplesFolder() != null || labels.stream().anyMatch(l -> !l.examples().isEmpty());
        if (k.method() != ClassifyOptions.Method.ZERO_SHOT && !hasExamples) {
            throw job.error("task.method", k.method().yamlName()
                    + " needs examples (task.labels[].examples or task.examplesFolder)");
        }
        atLeast(job, "task.k", k.k(), 1);
        if (k.temperature() != null && k.temperature() <= 0) {
            throw job.error("task.temperature", "expected a number above 0, got " + k.temperature());
        }
        fraction(job, "task.abstainBelow", k.abstainBelow());
        fraction(job, "task.threshold", k.threshold());
        validateChunk(job, k.chunk());
        if (!k.labelTemplate().contains("{label}") && !k.labelTemplate().contains("{description}")) {
            throw job.error("task.labelTemplate", "the template must contain {label} or {description}");
        }
        template(job, "task.promptTemplate", k.promptTemplate());
        atLeast(job, "task.batchSize", k.batchSize(), 1);
    }

    private static void validateChunk(JobFile job, ChunkOptions chunk) {
        atLeast(job, "task.chunk.size", chunk.size(), 1);
        if (chunk.overlap() < 0 || chunk.overlap() >= chunk.size()) {
            throw job.error("task.chunk.overlap", "expected 0 or more and less than chunk.size (" + chunk.size()
                    + "), got " + chunk.overlap());
        }
    }

    private static void checkGlobs(JobFile job, String field, List<String> globs) {
        for (int i = 0; i < globs.size(); i++) {
            String glob = globs.get(i);
            if (glob == null || glob.isBlank()) {
                throw job.error(field + "[" + i + "]", "expected a glob pattern such as **/*.pdf, got an empty value");
            }
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + glob);
            } catch (PatternSyntaxException e) {
                throw job.error(field + "[" + i + "]", "'" + glob + "' is not a valid glob pattern ("
                        + e.getDescription() + ")");
            }
        }
    }

    private static void template(JobFile job, String field, String template) {
        if (!template.contains("{text}")) {
            throw job.error(field, "the template must contain {text}, where the document goes");
        }
    }

    private static void positive(JobFile job, String field, long value) {
        if (value <= 0) {
            throw job.error(field, "expected a value above 0, got " + value);
        }
    }

    private static void atLeast(JobFile job, String field, long value, long min) {
        if (value < min) {
            throw job.error(field, "expected " + min + " or more, got " + value);
        }
    }

    private static void fraction(JobFile job, String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw job.error(field, "expected a number from 0 to 1, got " + value);
        }
    }
}
