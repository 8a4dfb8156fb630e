package dev.lectern.pipeline.llm;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt with {@code {name}} placeholders, filled in one pass: a document that itself contains
 * {@code {labels}} or {@code {text}} is inserted verbatim and never expanded again.
 */
public final class PromptTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(text|labels)}");

    private final String template;

    public PromptTemplate(String template) {
        if (!template.contains("{text}")) {
            throw new IllegalArgumentException("a prompt template must contain {text}, where the document goes");
        }
        this.template = template;
    }

    /** The template with each placeholder replaced by its value ({@code {name}} left as is when unknown). */
    public String fill(Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    public String fillText(String text) {
        return fill(Map.of("text", text));
    }
}
