package dev.lectern.pipeline.summarize;

import static dev.lectern.pipeline.task.RecordNumbers.fourDecimals;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.lectern.pipeline.config.SummarizeOptions;
import dev.lectern.pipeline.embedding.SentenceEncoders;
import dev.lectern.pipeline.embedding.SentenceSplitter;
import dev.lectern.pipeline.model.ModelIdentity;
import dev.lectern.pipeline.model.ModelSpec;
import dev.lectern.pipeline.task.DocumentTask;
import dev.lectern.pipeline.task.TaskContext;
import dev.lectern.pipeline.task.TaskFactory;
import dev.lectern.pipeline.task.TaskInput;

/**
 * {@code type: summarize} with a sentence encoder (the built-in model, or a GGUF {@code bert} file): an extractive
 * summary of each document.
 */
public final class SummarizeTask implements DocumentTask {

    /**
     * The {@code result} of a summarize record.
     *
     * @param method        always {@code extractive} for this task
     * @param summary       the chosen sentences in document order, joined by spaces
     * @param sentences     the chosen sentences with their position among all sentences and their relevance
     * @param sentenceCount sentences found in the document
     * @param tokens        model tokens in the summary
     */
    @JsonPropertyOrder({"method", "summary", "sentences", "sentenceCount", "tokens"})
    public record Result(String method, String summary, List<Sentence> sentences, int sentenceCount, int tokens) {
    }

    /** One chosen sentence; {@code score} is rounded to 4 decimals. */
    @JsonPropertyOrder({"index", "text", "score"})
    public record Sentence(int index, String text, double score) {
    }

    private final ExtractiveSummarizer summarizer;

    SummarizeTask(ExtractiveSummarizer summarizer) {
        this.summarizer = summarizer;
    }

    /** A document without text (an archive's own entry, a scan without OCR) gets an empty summary, not an error. */
    @Override
    public Result run(TaskInput input) {
        Summary summary = summarizer.summarize(input.text());
        List<Sentence> sentences = summary.sentences().stream()
                .map(s -> new Sentence(s.index(), s.text(), fourDecimals(s.score()))).toList();
        return new Result("extractive", summary.text(), sentences, summary.sentenceCount(), summary.tokens());
    }

    /** Makes summarize tasks for sentence encoders. */
    public static final class Factory implements TaskFactory {

        @Override
        public String type() {
            return SummarizeOptions.TYPE;
        }

        @Override
        public boolean supports(ModelSpec model) {
            return SentenceEncoders.supports(model);
        }

        @Override
        public ModelIdentity prepare(TaskContext context) {
            settings(context.options(SummarizeOptions.class));
            SentenceEncoders.embedder(context.model());
            return SentenceEncoders.identity(context.model());
        }

        @Override
        public DocumentTask create(TaskContext context) {
            return new SummarizeTask(new ExtractiveSummarizer(SentenceEncoders.embedder(context.model()),
                    new SentenceSplitter(), settings(context.options(SummarizeOptions.class))));
        }

        static SummarizerSettings settings(SummarizeOptions options) {
            return new SummarizerSettings(options.maxSentences(), options.maxTokens(), options.diversity(),
                    options.positionWeight(), SummarizerSettings.DEFAULT_MAX_CANDIDATES);
        }
    }
}
