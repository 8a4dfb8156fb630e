package dev.lectern.pipeline.classify;

import java.util.ArrayList;
import java.util.List;

/**
 * One label a document can get.
 *
 * @param name        the label written into records
 * @param description optional words that say what the label means (zero-shot); null when absent
 * @param examples    example texts of documents with this label (few-shot); empty when absent
 */
public record Label(String name, String description, List<String> examples) {

    public Label {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a label needs a non-empty name");
        }
        if (description != null && description.isBlank()) {
            description = null;
        }
        examples = examples == null ? List.of() : List.copyOf(examples);
    }

    public Label withExamples(List<String> moreExamples) {
        List<String> all = new ArrayList<>(examples);
        all.addAll(moreExamples);
        return new Label(name, description, all);
    }
}
