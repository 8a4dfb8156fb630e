package dev.lectern.pipeline.llm;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.lectern.pipeline.config.SummarizeOptions;
import dev.lectern.pipeline.model.ModelIdentity;
import dev.lectern.pipeline.model.ModelSpec;
import dev.lectern.pipeline.task.DocumentTask;
import dev.lectern.pipeline.task.TaskContext;
import dev.lectern.pipeline.task.TaskFactory;
import dev.lectern.pipeline.task.TaskFailure;
import dev.lectern.pipeline.task.TaskInput;

/** {@code type: summarize} with a GGUF language model: generated summaries, map-reduce for long documents. */
public final class LlmSummarizeTask implements DocumentTask {

    /**
     * The {@code result} of a generated-summary record.
     *
     * @param summary         the summary (harmony models: the final channel; think blocks removed)
     * @param chunks          chunks the document was cut into (0 when it has no text)
     * @param levels          generation levels (1: the document fit one prompt; each reduce adds one)
     * @param calls           generations run for this document
     * @param promptTokens    prompt tokens over all calls
     * @param generatedTokens generated tokens over all calls
     * @param stopReason      why the final generation ended: {@code end-of-generation}, {@code max-tokens} or
     *                        {@code context-full} (absent for a document without text)
     * @param chatFormat      the chat format the prompts were written in
     */
    @JsonPropertyOrder({"summary", "chunks", "levels", "calls", "promptTokens", "generatedTokens", "stopReason",
            "chatFormat"})
    public record Result(String summary, int chunks, int levels, int calls, long promptTokens, long generatedTokens,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String stopReason, String chatFormat) {
    }

    private final LlmSummarizer summarizer;
    private final String chatFormat;

    LlmSummarizeTask(LlmSummarizer summarizer, String chatFormat) {
        this.summarizer = summarizer;
        this.chatFormat = chatFormat;
    }

    @Override
    public Result run(TaskInput input) throws TaskFailure {
        LlmSummarizer.Outcome o = summarizer.summarize(input.text(), input.seed());
        return new Result(o.summary(), o.chunks(), o.levels(), o.calls(), o.promptTokens(), o.generatedTokens(),
                o.stopReason(), chatFormat);
    }

    /** Picked for {@code summarize} when {@code model.path} is a GGUF file. */
    public static final class Factory implements TaskFactory {
        @Override
        public String type() {
            return SummarizeOptions.TYPE;
        }

        @Override
        public boolean supports(ModelSpec model) {
            return LanguageModel.supports(model);
        }

        @Override
        public ModelIdentity prepare(TaskContext context) {
            LanguageModel model = LanguageModel.shared(context.model());
            new LlmSummarizer(model, context.options(SummarizeOptions.class));
            return model.identity();
        }

        @Override
        public DocumentTask create(TaskContext context) {
            LanguageModel model = LanguageModel.shared(context.model());
            return new LlmSummarizeTask(new LlmSummarizer(model, context.options(SummarizeOptions.class)),
                    model.chatFormatName());
        }
    }
}
