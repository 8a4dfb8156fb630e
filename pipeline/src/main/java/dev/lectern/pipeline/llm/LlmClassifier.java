package dev.lectern.pipeline.llm;

import dev.lectern.inference.generate.Session;
import dev.lectern.pipeline.config.ChunkOptions;
import dev.lectern.pipeline.config.ClassifyOptions;
import dev.lectern.pipeline.config.LabelSpec;
import dev.lectern.pipeline.task.TaskFailure;
import dev.lectern.pipeline.task.TextChunker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Classification constrained to the label set: the model never writes an answer. The prompt (instructions, label
 * list, document) runs once; then, for every label, the KV cache is cut back to the end of the prompt and the
 * label's tokens are scored: {@code ll(label) = Σ log P(token_i | prompt, token_<i)}, the sum over its tokens (not
 * divided by their number). Probabilities are {@code softmax(ll / temperature)} over the labels, so whatever the
 * document says, the answer is one of the labels.
 *
 * <p>A document longer than the context is classified on its opening: the first part that fits (the record says
 * {@code textTruncated}). One instance per worker: it owns a session (KV cache and scratch) on the shared model.
 */
final class LlmClassifier {

    /** Tokens kept free for merges across the template's seams (the text is counted alone). */
    private static final int SEAM_MARGIN = 4;

    /**
     * @param logLikelihoods every label's summed token log-probability, in label order
     * @param promptTokens   tokens of the prompt the labels were scored after
     * @param textTruncated  whether only the document's opening fit
     */
    record Scores(double[] logLikelihoods, int promptTokens, boolean textTruncated) {
    }

    private final LanguageModel model;
    private final ClassifyOptions options;
    private final PromptTemplate template;
    private final String labelList;
    private final int[][] labelTokens;
    private final int textBudget;
    private final Session session;

    /** @throws IllegalArgumentException when the context cannot hold the prompt and the longest label */
    LlmClassifier(LanguageModel model, ClassifyOptions options) {
        this.model = model;
        this.options = options;
        this.template = new PromptTemplate(options.promptTemplate());
        List<String> names = options.labels().stream().map(LabelSpec::name).toList();
        this.labelList = String.join(", ", names);
        this.labelTokens = new int[names.size()][];
        int longest = 0;
        for (int i = 0; i < names.size(); i++) {
            // Completion models continue "Category:" with a space; chat models start their answer with the label.
            String answer = model.isPlainCompletion() ? " " + names.get(i) : names.get(i);
            labelTokens[i] = model.tokenizer().encode(answer, false, false);
            if (labelTokens[i].length == 0) {
                throw new IllegalArgumentException("task.labels[" + i + "]: label '" + names.get(i) + "' encodes to no tokens");
            }
            longest = Math.max(longest, labelTokens[i].length);
        }
        int overhead = model.encodeAnswerStart(template.fill(Map.of("text", "", "labels", labelList))).length + SEAM_MARGIN;
        int room = model.contextLength() - overhead - longest;
        if (room < 1) {
            throw new IllegalArgumentException("the prompt and the labels (" + overhead + " + " + longest
                    + " tokens) do not fit the model's context of " + model.contextLength() + " tokens");
        }
        ChunkOptions chunk = options.chunk();
        this.textBudget = chunk.unit() == ChunkOptions.Unit.TOKENS ? Math.min(chunk.size(), room) : room;
        int context = Math.min(model.contextLength(), overhead + textBudget + longest);
        this.session = new Session(model.engine().model(), context, model.engine().parallel());
    }

    List<String> labelNames() {
        return options.labels().stream().map(LabelSpec::name).toList();
    }

    Scores score(String text) throws TaskFailure {
        String fitted = text;
        boolean truncated = false;
        ChunkOptions chunk = options.chunk();
        if (chunk.unit() == ChunkOptions.Unit.CHARACTERS && fitted.length() > chunk.size()) {
            fitted = TextChunker.byCharacters(chunk.size(), 0).chunk(fitted).getFirst().text();
            truncated = true;
        }
        if (model.countTokens(fitted) > textBudget) {
            fitted = TextChunker.byTokens(textBudget, 0, model::countTokens).chunk(fitted).getFirst().text();
            truncated = true;
        }
        int[] prompt = model.encodeAnswerStart(template.fill(Map.of("text", fitted, "labels", labelList)));
        double[] ll = new double[labelTokens.length];
        try {
            session.reset();
            session.prefill(prompt);
            Session.Checkpoint afterPrompt = session.checkpoint();
            for (int i = 0; i < labelTokens.length; i++) {
                session.restore(afterPrompt);
                float[] lp = session.logProbabilities(labelTokens[i]);
                double sum = 0;
                for (float p : lp) sum += p;
                ll[i] = sum;
            }
        } catch (RuntimeException e) {
            session.reset();
            throw Generations.failure(e, "scoring the labels");
        }
        return new Scores(ll, prompt.length, truncated);
    }

    /** {@code softmax(ll / temperature)}, computed stably. */
    static double[] probabilities(double[] logLikelihoods, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logLikelihoods) max = Math.max(max, v);
        double[] p = new double[logLikelihoods.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logLikelihoods[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        return p;
    }

    /** Labels whose probability reaches {@code threshold}, most probable first (ties in label order). */
    static List<Integer> above(double[] probabilities, double threshold) {
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < probabilities.length; i++) if (probabilities[i] >= threshold) chosen.add(i);
        chosen.sort((a, b) -> Double.compare(probabilities[b], probabilities[a]));
        return chosen;
    }
}
