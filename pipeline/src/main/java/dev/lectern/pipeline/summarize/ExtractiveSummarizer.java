package dev.lectern.pipeline.summarize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.lectern.pipeline.embedding.DocumentEmbedder;
import dev.lectern.pipeline.embedding.Embedder;
import dev.lectern.pipeline.embedding.SentenceSplitter;
import dev.lectern.pipeline.embedding.TokenFitter;
import dev.lectern.pipeline.embedding.Vectors;

/**
 * Extractive summaries from sentence embeddings.
 * <ol>
 *   <li>Split the text into sentences; headings, fragments and exact repeats do not compete.</li>
 *   <li>Embed every candidate (a sentence too long for the model is embedded in pieces and averaged).</li>
 *   <li>Relevance = centrality + position prior. Centrality is the cosine to the centroid of all other
 *       candidates: for unit vectors, a close kin of a sentence's mean similarity to every other sentence
 *       (continuous degree centrality, as in LexRank), at linear instead of quadratic cost. A long document is cut
 *       into sections of consecutive sentences (at most one per summary sentence), and centrality averages
 *       similarity to the document's and to the section's centroid.</li>
 *   <li>Pick with {@link MaximalMarginalRelevance} within the sentence and token budgets, one sentence from each
 *       section first so that the summary covers the whole text, then restore document order.</li>
 * </ol>
 * Thread-safe if the embedder is; deterministic: ties go to the earlier sentence.
 */
public final class ExtractiveSummarizer {

    /** Tokens of one section: about two pages, so short documents are one section. */
    static final int SECTION_TOKENS = 1024;

    /** Pieces embedded for one over-long sentence (each up to the model's limit, about 100 words). */
    static final int MAX_PIECES_PER_SENTENCE = 4;

    private final Embedder embedder;
    private final SentenceSplitter splitter;
    private final TokenFitter fitter;
    private final SummarizerSettings settings;
    private final MaximalMarginalRelevance mmr;

    public ExtractiveSummarizer(Embedder embedder, SentenceSplitter splitter, SummarizerSettings settings) {
        this.embedder = embedder;
        this.splitter = splitter;
        this.fitter = new TokenFitter(embedder);
        this.settings = settings;
        this.mmr = new MaximalMarginalRelevance(1 - settings.diversity());
    }

    public Summary summarize(String text) {
        List<String> sentences = splitter.split(text);
        List<Integer> candidates = DocumentEmbedder.spreadEvenly(candidates(sentences), settings.maxCandidates());
        if (candidates.isEmpty()) {
            return new Summary("", List.of(), sentences.size(), 0);
        }
        int n = candidates.size();
        int[] tokens = new int[n];
        List<float[]> vectors = embedSentences(sentences, candidates, tokens);
        List<int[]> sections = sections(tokens, settings.maxSentences());
        int[] sectionOf = new int[n];
        for (int s = 0; s < sections.size(); s++) {
            Arrays.fill(sectionOf, sections.get(s)[0], sections.get(s)[1], s);
        }
        double[] relevance = relevance(vectors, sections, sectionOf, candidates, sentences.size());

        List<Integer> picked = new ArrayList<>(mmr.select(vectors, relevance, tokens, settings.maxSentences(),
                settings.maxTokens(), sectionOf));
        picked.sort(null);
        List<SummarySentence> chosen = new ArrayList<>(picked.size());
        int summaryTokens = 0;
        for (int c : picked) {
            int index = candidates.get(c);
            chosen.add(new SummarySentence(index, sentences.get(index), relevance[c]));
            summaryTokens += tokens[c];
        }
        String summaryText = String.join(" ", chosen.stream().map(SummarySentence::text).toList());
        return new Summary(summaryText, chosen, sentences.size(), summaryTokens);
    }

    /**
     * Indices of the sentences that may enter a summary: not a heading or fragment, not an exact (case-insensitive)
     * repeat of an earlier sentence. A text made only of fragments keeps them all.
     */
    static List<Integer> candidates(List<String> sentences) {
        List<Integer> full = new ArrayList<>();
        List<Integer> any = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < sentences.size(); i++) {
            String sentence = sentences.get(i);
            if (!seen.add(sentence.toLowerCase(Locale.ROOT))) {
                continue;
            }
            any.add(i);
            if (isFullSentence(sentence)) {
                full.add(i);
            }
        }
        return full.isEmpty() ? any : full;
    }

    /**
     * A sentence worth quoting on its own: at least six words and final punctuation (shorter ones, such as "This
     * is coral bleaching.", lean on their neighbours), or long enough (twelve words) to be running text that lost
     * its punctuation. Han, kana and hangul characters each count as half a word, since
     * those scripts do not separate words by spaces.
     */
    static boolean isFullSentence(String sentence) {
        double words = 0;
        boolean inWord = false;
        for (int i = 0; i < sentence.length(); ) {
            int cp = sentence.codePointAt(i);
            i += Character.charCount(cp);
            if (isUnspacedScript(cp)) {
                words += 0.5;
                inWord = false;
            } else if (Character.isLetterOrDigit(cp)) {
                if (!inWord) {
                    words += 1;
                    inWord = true;
                }
            } else if (Character.isWhitespace(cp)) {
                inWord = false;
            }
        }
        int last = sentence.codePointBefore(sentence.length());
        boolean punctuated = ".!?…。！？\"'”’)」』".indexOf(last) >= 0;
        return words >= 12 || (punctuated && words >= 6);
    }

    private static boolean isUnspacedScript(int cp) {
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL
                || script == Character.UnicodeScript.THAI;
    }

    /**
     * One unit vector per candidate; fills in each candidate's token count. A sentence longer than the model takes is
     * embedded as the mean of its pieces, at most {@link #MAX_PIECES_PER_SENTENCE} of them spread over it: a run-on
     * "sentence" (a table, a blob without punctuation) costs no more than a few sentences, and its token count, which
     * is what the budget sees, stays exact.
     */
    private List<float[]> embedSentences(List<String> sentences, List<Integer> candidates, int[] tokens) {
        List<String> pieceTexts = new ArrayList<>();
        List<Integer> pieceTokens = new ArrayList<>();
        int[] firstPiece = new int[candidates.size() + 1];
        for (int c = 0; c < candidates.size(); c++) {
            firstPiece[c] = pieceTexts.size();
            List<TokenFitter.Piece> pieces = fitter.pieces(sentences.get(candidates.get(c)));
            for (TokenFitter.Piece piece : pieces) {
                tokens[c] += piece.tokens();
            }
            for (TokenFitter.Piece piece : DocumentEmbedder.spreadEvenly(pieces, MAX_PIECES_PER_SENTENCE)) {
                pieceTexts.add(piece.text());
                pieceTokens.add(piece.tokens());
            }
        }
        firstPiece[candidates.size()] = pieceTexts.size();
        List<float[]> pieceVectors = DocumentEmbedder.embedAll(embedder, pieceTexts);
        List<float[]> vectors = new ArrayList<>(candidates.size());
        for (int c = 0; c < candidates.size(); c++) {
            int from = firstPiece[c];
            int to = firstPiece[c + 1];
            if (to - from == 1) {
                vectors.add(pieceVectors.get(from));
            } else {
                double[] weights = new double[to - from];
                for (int p = from; p < to; p++) {
                    weights[p - from] = pieceTokens.get(p);
                }
                vectors.add(Vectors.normalizedMean(pieceVectors.subList(from, to), weights));
            }
        }
        return vectors;
    }

    private double[] relevance(List<float[]> vectors, List<int[]> sections, int[] sectionOf, List<Integer> candidates,
                               int sentenceCount) {
        int n = vectors.size();
        double[] documentSum = sum(vectors, 0, n);
        List<double[]> sectionSums = sections.stream().map(section -> sum(vectors, section[0], section[1])).toList();
        double[] relevance = new double[n];
        for (int c = 0; c < n; c++) {
            double centrality = similarityToOthers(vectors.get(c), documentSum);
            if (sections.size() > 1) {
                centrality = 0.5 * centrality + 0.5 * similarityToOthers(vectors.get(c), sectionSums.get(sectionOf[c]));
            }
            double position = (double) candidates.get(c) / sentenceCount;
            relevance[c] = centrality + settings.positionWeight() * (1 - position);
        }
        return relevance;
    }

    /**
     * Cosine between a sentence and the centroid of the other sentences of a group, given the group's vector sum.
     * Leaving the sentence itself out matters in short documents, where a sentence would otherwise be a large
     * part of the centroid it is compared with and even an off-topic one would look central.
     */
    private static double similarityToOthers(float[] sentence, double[] groupSum) {
        double dot = 0;
        double squares = 0;
        for (int i = 0; i < sentence.length; i++) {
            double other = groupSum[i] - sentence[i];
            dot += sentence[i] * other;
            squares += other * other;
        }
        return squares < 1e-12 ? 0 : dot / Math.sqrt(squares);
    }

    private static double[] sum(List<float[]> vectors, int from, int to) {
        double[] sum = new double[vectors.getFirst().length];
        for (int v = from; v < to; v++) {
            float[] vector = vectors.get(v);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += vector[i];
            }
        }
        return sum;
    }

    /**
     * Cuts the candidates into sections: runs of consecutive sentences of about equal token count (equal, so that no
     * tiny last section makes its few sentences look central). There are as many as it takes to keep each within
     * about {@link #SECTION_TOKENS}, but no more than the summary's sentences, since every section gets one.
     *
     * @return each run as {start, end} candidate indices, end exclusive
     */
    static List<int[]> sections(int[] tokens, int maxSections) {
        long total = 0;
        for (int t : tokens) {
            total += t;
        }
        long count = Math.min(maxSections, Math.max(1, (total + SECTION_TOKENS - 1) / SECTION_TOKENS));
        List<int[]> sections = new ArrayList<>();
        int start = 0;
        long cumulative = 0;
        for (int c = 0; c < tokens.length; c++) {
            cumulative += tokens[c];
            // Section s ends once the running total reaches s+1 shares of the whole.
            if (c == tokens.length - 1 || cumulative * count >= total * (sections.size() + 1)) {
                sections.add(new int[]{start, c + 1});
                start = c + 1;
            }
        }
        return sections;
    }
}
