package dev.lectern.pipeline.classify;

import java.util.List;
import java.util.Map;

/**
 * The classification of one document.
 *
 * @param label         the most probable label, or null when the classifier abstains
 * @param abstain       true when the top probability is below {@link ClassifierSettings#abstainBelow()}
 * @param confidence    the top probability (reported even when abstaining)
 * @param probabilities every label's probability, in configuration order (they sum to 1)
 * @param similarities  every label's cosine similarity with the document, in configuration order
 * @param labels        multi-label mode: every label at or above the threshold, most probable first; else null
 * @param chunks        how many windows of the document were embedded
 */
public record Classification(String label, boolean abstain, double confidence, Map<String, Double> probabilities,
                             Map<String, Double> similarities, List<String> labels, int chunks) {
}
