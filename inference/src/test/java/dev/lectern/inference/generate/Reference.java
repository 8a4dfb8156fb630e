package dev.lectern.inference.generate;

import static dev.lectern.inference.testing.ReferenceValues.ints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * One llama.cpp reference generation ({@code shared/reference/<model>/<prompt>.json}, format in its README):
 * the prompt ids, and per greedy step the chosen id, the top-5 logits and, for step 0 of 512-token models, all logits.
 */
record Reference(String name, int[] promptIds, int[] ids, int[][] topIds, float[][] topLogits, float[] fullLogits0) {

    static final Path ROOT = Path.of("src/test/resources/shared");

    static Reference load(String model, String prompt) {
        Path p = ROOT.resolve("reference").resolve(model).resolve(prompt + ".json");
        try {
            JsonNode root = new ObjectMapper().readTree(p.toFile());
            int[] promptIds = ints(root.get("prompt_ids"));
            JsonNode steps = root.get("steps");
            int n = steps.size();
            int[] ids = new int[n];
            int[][] topIds = new int[n][];
            float[][] topLogits = new float[n][];
            for (int i = 0; i < n; i++) {
                JsonNode s = steps.get(i);
                ids[i] = s.get("id").asInt();
                JsonNode top = s.get("top");
                topIds[i] = new int[top.size()];
                topLogits[i] = new float[top.size()];
                for (int j = 0; j < top.size(); j++) {
                    topIds[i][j] = top.get(j).get("id").asInt();
                    topLogits[i][j] = (float) top.get(j).get("logit").asDouble();
                }
            }
            JsonNode full = steps.get(0).get("full_logits");
            float[] full0 = null;
            if (full != null) {
                full0 = new float[full.size()];
                for (int j = 0; j < full0.length; j++) full0[j] = (float) full.get(j).asDouble();
            }
            return new Reference(model + "/" + prompt, promptIds, ids, topIds, topLogits, full0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    static Path model(String relative) {
        return ROOT.resolve("models").resolve(relative);
    }
}
