package dev.lectern.pipeline.llm;

import dev.lectern.inference.generate.BatchGenerator;
import dev.lectern.inference.generate.GenerationResult;
import dev.lectern.pipeline.config.ChunkOptions;
import dev.lectern.pipeline.config.SummarizeOptions;
import dev.lectern.pipeline.task.Chunk;
import dev.lectern.pipeline.task.TaskFailure;
import dev.lectern.pipeline.task.TextChunker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Summaries written by a language model, map-reduce for documents longer than its context: the document is cut
 * into chunks that fit (model tokens), every chunk is summarized, and the chunk summaries are merged by the reduce
 * prompt in groups that fit, level after level, until one summary is left. All calls of one level go to the
 * inference queue together, so even one document fills a decode batch.
 *
 * <p>Token budgets, from the model's context {@code C} and {@code task.maxTokens} ({@code N}): a map prompt holds
 * at most {@code C - N - overhead} tokens of text (and at most {@code chunk.size} when the chunk unit is tokens),
 * a reduce prompt at most {@code C - N - overhead}; it must fit two summaries ({@code 2N}), or every level would
 * not halve the summaries left, so a context too small for {@code N} is a configuration error.
 */
final class LlmSummarizer {

    /** Tokens kept free in every prompt for merges across the template's seams (the text is counted alone). */
    private static final int SEAM_MARGIN = 4;
    private static final String SEPARATOR = "\n\n";

    /**
     * One document's summary.
     *
     * @param summary         the final text
     * @param chunks          chunks the document was cut into (0 for a document without text)
     * @param levels          generation levels: 1 when the document fit in one prompt, more with reduce levels
     * @param calls           generations run in all
     * @param promptTokens    prompt tokens over all calls
     * @param generatedTokens generated tokens over all calls
     * @param stopReason      why the final generation ended
     */
    record Outcome(String summary, int chunks, int levels, int calls, long promptTokens, long generatedTokens,
                   String stopReason) {
    }

    private final LanguageModel model;
    private final SummarizeOptions options;
    private final PromptTemplate mapPrompt;
    private final PromptTemplate reducePrompt;
    private final int mapBudget;
    private final int reduceBudget;
    private final BatchGenerator queue;

    /** @throws IllegalArgumentException when the model's context cannot hold the prompts with {@code maxTokens} */
    LlmSummarizer(LanguageModel model, SummarizeOptions options) {
        this.model = model;
        this.options = options;
        this.mapPrompt = new PromptTemplate(options.promptTemplate());
        this.reducePrompt = new PromptTemplate(options.reducePromptTemplate());
        int context = model.contextLength();
        int n = options.maxTokens();
        int mapRoom = context - n - overhead(mapPrompt);
        int reduceRoom = context - n - overhead(reducePrompt);
        int separatorTokens = model.countTokens(SEPARATOR) + 1;
        if (mapRoom < 1 || reduceRoom < 2 * (n + separatorTokens)) {
            int maxN = Math.max(0, (context - Math.max(overhead(mapPrompt), overhead(reducePrompt)) - 2 * separatorTokens) / 3);
            throw new IllegalArgumentException("task.maxTokens " + n + " leaves no room in the model's context of "
                    + context + " tokens for the text and two summaries to merge; use at most " + maxN);
        }
        ChunkOptions chunk = options.chunk();
        this.mapBudget = chunk.unit() == ChunkOptions.Unit.TOKENS ? Math.min(chunk.size(), mapRoom) : mapRoom;
        this.reduceBudget = reduceRoom;
        this.queue = model.queue(options.batchSize());
    }

    private int overhead(PromptTemplate template) {
        return model.encodeUserTurn(template.fillText("")).length + SEAM_MARGIN;
    }

    Outcome summarize(String text, long documentSeed) throws TaskFailure {
        if (text.isBlank()) {
            return new Outcome("", 0, 0, 0, 0, 0, null);
        }
        List<String> chunks = chunks(text);
        Tally tally = new Tally();
        List<GenerationResult> level = run(mapPrompt, chunks, 0, documentSeed, tally);
        int levels = 1;
        while (level.size() > 1) {
            List<String> summaries = level.stream().map(LanguageModel::answer).toList();
            level = run(reducePrompt, groups(summaries), levels, documentSeed, tally);
            levels++;
        }
        GenerationResult last = level.getFirst();
        return new Outcome(LanguageModel.answer(last), chunks.size(), levels, tally.calls, tally.prompt, tally.generated,
                Generations.stopReasonName(last.stopReason()));
    }

    /**
     * The document cut as {@code task.chunk} says, every piece within the map budget: character chunks that
     * encode to too many tokens are cut again by tokens.
     */
    List<String> chunks(String text) {
        ChunkOptions c = options.chunk();
        List<String> out = new ArrayList<>();
        if (model.countTokens(text) <= mapBudget) {
            out.add(text);
            return out;
        }
        TextChunker first = c.unit() == ChunkOptions.Unit.TOKENS
                ? TextChunker.byTokens(mapBudget, Math.min(c.overlap(), mapBudget - 1), model::countTokens)
                : TextChunker.byCharacters(c.size(), c.overlap());
        TextChunker byTokens = TextChunker.byTokens(mapBudget, 0, model::countTokens);
        for (Chunk chunk : first.chunk(text)) {
            if (model.countTokens(chunk.text()) <= mapBudget) {
                out.add(chunk.text());
            } else {
                byTokens.chunk(chunk.text()).forEach(piece -> out.add(piece.text()));
            }
        }
        return out;
    }

    /**
     * Consecutive summaries joined into texts within the reduce budget, at least two per group so that every
     * level shrinks (a pair that is too long together is cut to the budget).
     */
    List<String> groups(List<String> summaries) {
        List<String> groups = new ArrayList<>();
        int i = 0;
        while (i < summaries.size()) {
            StringBuilder group = new StringBuilder(summaries.get(i));
            int tokens = model.countTokens(summaries.get(i));
            int members = 1;
            i++;
            while (i < summaries.size()) {
                int more = model.countTokens(SEPARATOR + summaries.get(i));
                boolean mustTake = members == 1;
                if (!mustTake && tokens + more > reduceBudget) break;
                group.append(SEPARATOR).append(summaries.get(i));
                tokens += more;
                members++;
                i++;
            }
            String text = group.toString();
            if (model.countTokens(text) > reduceBudget) {
                text = TextChunker.byTokens(reduceBudget, 0, model::countTokens).chunk(text).getFirst().text();
            }
            groups.add(text);
        }
        return groups;
    }

    /** Generates one answer per text (all queued at once), in order. */
    private List<GenerationResult> run(PromptTemplate template, List<String> texts, int level, long documentSeed,
                                       Tally tally) throws TaskFailure {
        List<CompletableFuture<GenerationResult>> futures = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            int[] prompt = model.encodeUserTurn(template.fillText(texts.get(i)));
            futures.add(queue.submit(prompt, Generations.options(options.maxTokens(), options.temperature(),
                    options.topP(), Generations.callSeed(documentSeed, level, i)), true));
        }
        List<GenerationResult> results = new ArrayList<>(texts.size());
        for (int i = 0; i < futures.size(); i++) {
            try {
                GenerationResult r = futures.get(i).get();
                tally.add(r);
                results.add(r);
            } catch (Exception e) {
                futures.forEach(f -> f.cancel(false));
                throw Generations.failure(e, (level == 0 ? "summarizing chunk " : "merging summaries, level " + level
                        + ", group ") + (i + 1) + " of " + texts.size());
            }
        }
        return results;
    }

    /** Token and call counts over a document's generations. */
    private static final class Tally {
        int calls;
        long prompt;
        long generated;

        void add(GenerationResult r) {
            calls++;
            prompt += r.promptIds().length;
            generated += r.generatedIds().length;
        }
    }
}
