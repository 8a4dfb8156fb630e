package dev.lectern.pipeline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * {@code type: summarize}. With the built-in default model (a sentence encoder) the summary is extractive: the most
 * central sentences, kept in document order. With a GGUF language model ({@code model.path}) it is generated,
 * map-reduce over chunks for long documents.
 *
 * @param maxSentences         extractive: at most this many sentences
 * @param maxTokens            the summary's budget in model tokens (extractive: selected sentences' tokens;
 *                             generated: new tokens per summary)
 * @param diversity            extractive: weight of the redundancy penalty (maximal marginal relevance), 0..1
 * @param positionWeight       extractive: weight of the prior favouring early sentences, 0..1
 * @param chunk                how long documents are cut
 * @param promptTemplate       generated: the user prompt; {@code {text}} is replaced by the chunk's text
 * @param reducePromptTemplate generated: the prompt that merges chunk summaries; {@code {text}} gets them
 * @param temperature          generated: 0 is greedy (default); above 0 samples with a per-document seed
 * @param topP                 generated: nucleus sampling mass when sampling
 * @param batchSize            generated: how many sequences are decoded together in one forward pass
 */
@JsonPropertyOrder({"type", "maxSentences", "maxTokens", "diversity", "positionWeight", "chunk", "promptTemplate",
        "reducePromptTemplate", "temperature", "topP", "batchSize"})
public record SummarizeOptions(
        @JsonProperty(value = "type", required = true) String type,
        @JsonProperty("maxSentences") Integer maxSentences,
        @JsonProperty("maxTokens") Integer maxTokens,
        @JsonProperty("diversity") Double diversity,
        @JsonProperty("positionWeight") Double positionWeight,
        @JsonProperty("chunk") ChunkOptions chunk,
        @JsonProperty("promptTemplate") String promptTemplate,
        @JsonProperty("reducePromptTemplate") String reducePromptTemplate,
        @JsonProperty("temperature") Double temperature,
        @JsonProperty("topP") Double topP,
        @JsonProperty("batchSize") Integer batchSize) implements TaskOptions {

    public static final String TYPE = "summarize";
    public static final String DEFAULT_PROMPT =
            "Summarize the following document in a few sentences. Keep names, numbers and dates.\n\n{text}";
    public static final String DEFAULT_REDUCE_PROMPT =
            "These are summaries of consecutive parts of one document. Write one summary of the whole document.\n\n{text}";

    public SummarizeOptions {
        maxSentences = maxSentences == null ? 3 : maxSentences;
        maxTokens = maxTokens == null ? 256 : maxTokens;
        diversity = diversity == null ? 0.3 : diversity;
        positionWeight = positionWeight == null ? 0.1 : positionWeight;
        chunk = chunk == null ? ChunkOptions.defaults() : chunk;
        promptTemplate = promptTemplate == null ? DEFAULT_PROMPT : promptTemplate;
        reducePromptTemplate = reducePromptTemplate == null ? DEFAULT_REDUCE_PROMPT : reducePromptTemplate;
        temperature = temperature == null ? 0.0 : temperature;
        topP = topP == null ? 1.0 : topP;
        batchSize = batchSize == null ? 1 : batchSize;
    }
}
