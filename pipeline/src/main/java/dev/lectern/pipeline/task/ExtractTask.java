package dev.lectern.pipeline.task;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.lectern.pipeline.config.ExtractOptions;
import dev.lectern.pipeline.model.ModelIdentity;

/** {@code type: extract}: text statistics for each document, and the text itself when the job asks for it. */
public final class ExtractTask implements DocumentTask {

    /**
     * The {@code result} of an extract record.
     *
     * @param characters characters (Unicode code points) of extracted text kept
     * @param words      runs of letters or digits
     * @param lines      lines of text (0 for an empty text)
     * @param paragraphs blocks of non-blank lines
     * @param truncated  whether the text was cut at {@code extraction.maxCharacters}
     * @param text       the text, or null unless {@code task.includeText} is true
     */
    @JsonPropertyOrder({"characters", "words", "lines", "paragraphs", "truncated", "text"})
    public record Result(long characters, long words, long lines, long paragraphs, boolean truncated, String text) {
    }

    private final boolean includeText;

    public ExtractTask(boolean includeText) {
        this.includeText = includeText;
    }

    @Override
    public Result run(TaskInput input) {
        TextStatistics stats = TextStatistics.of(input.text());
        return new Result(stats.characters(), stats.words(), stats.lines(), stats.paragraphs(), input.textTruncated(),
                includeText ? input.text() : null);
    }

    public static final class Factory implements TaskFactory {
        @Override
        public String type() {
            return ExtractOptions.TYPE;
        }

        @Override
        public ModelIdentity prepare(TaskContext context) {
            return null;
        }

        @Override
        public DocumentTask create(TaskContext context) {
            return new ExtractTask(context.options(ExtractOptions.class).includeText());
        }
    }
}
