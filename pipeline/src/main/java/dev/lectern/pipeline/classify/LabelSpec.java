package dev.lectern.pipeline.classify;

import java.util.List;

/**
 * One label a document can get.
 *
 * @param name        the label written into records
 * @param description optional words that say what the label means (zero-shot); null when absent
 * @param examples    example texts of documents with this label (few-shot); empty when absent
 */
public record LabelSpec(String name, String description, List<String> examples) {

    public LabelSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a label needs a non-empty name");
        }
        if (description != null && description.isBlank()) {
            description = null;
        }
        examples = examples == null ? List.of() : List.copyOf(examples);
    }

    public LabelSpec withExamples(List<String> moreExamples) {
        List<String> all = new java.util.ArrayList<>(examples);
        all.addAll(moreExamples);
        return new LabelSpec(name, description, all);
    }
}
