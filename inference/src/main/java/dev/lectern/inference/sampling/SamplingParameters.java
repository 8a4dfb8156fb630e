package dev.lectern.inference.sampling;

/**
 * How the next token is chosen from the logits. Filters apply in llama.cpp's default order:
 * repetition penalty, top-k, top-p, min-p, then temperature, then a draw from the seeded generator.
 *
 * @param temperature       divides the logits before the draw; 0 (or less) means greedy: the highest logit, lowest id on ties
 * @param topK              keep only the k most likely tokens; 0 keeps all
 * @param topP              keep the smallest set of most likely tokens whose probability adds up to at least p; 1 keeps all
 * @param minP              drop tokens less likely than {@code minP} times the most likely one; 0 keeps all
 * @param repetitionPenalty divides positive (multiplies negative) logits of tokens seen in the last {@code repeatLastN}; 1 is off
 * @param repeatLastN       how many recent tokens the penalty looks at
 * @param seed              seed of the random generator: the same seed and logits give the same tokens
 */
public record SamplingParameters(
        float temperature, int topK, float topP, float minP, float repetitionPenalty, int repeatLastN, long seed) {

    public SamplingParameters {
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature: expected a finite number >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k: expected 0 (off) or a positive count, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p: expected a probability in (0, 1], got " + topP);
        }
        if (!(minP >= 0 && minP <= 1)) {
            throw new IllegalArgumentException("min-p: expected a probability in [0, 1], got " + minP);
        }
        if (!(repetitionPenalty > 0) || Float.isInfinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetition penalty: expected a finite number > 0 (1 is off), got " + repetitionPenalty);
        }
        if (repeatLastN < 0) {
            throw new IllegalArgumentException("repeat-last-n: expected a count >= 0, got " + repeatLastN);
        }
    }

    /** Greedy decoding: always the most likely token (lowest id on ties), as llama.cpp's references use. */
    public static SamplingParameters greedy() {
        return new SamplingParameters(0f, 0, 1f, 0f, 1f, 0, 0L);
    }

    /** llama.cpp's defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05, no repetition penalty. */
    public static SamplingParameters defaults(long seed) {
        return new SamplingParameters(0.8f, 40, 0.95f, 0.05f, 1f, 64, seed);
    }

    public SamplingParameters withTemperature(float t) {
        return new SamplingParameters(t, topK, topP, minP, repetitionPenalty, repeatLastN, seed);
    }

    public SamplingParameters withTopK(int k) {
        return new SamplingParameters(temperature, k, topP, minP, repetitionPenalty, repeatLastN, seed);
    }

    public SamplingParameters withTopP(float p) {
        return new SamplingParameters(temperature, topK, p, minP, repetitionPenalty, repeatLastN, seed);
    }

    public SamplingParameters withMinP(float p) {
        return new SamplingParameters(temperature, topK, topP, p, repetitionPenalty, repeatLastN, seed);
    }

    public SamplingParameters withRepetitionPenalty(float penalty, int lastN) {
        return new SamplingParameters(temperature, topK, topP, minP, penalty, lastN, seed);
    }

    public SamplingParameters withSeed(long s) {
        return new SamplingParameters(temperature, topK, topP, minP, repetitionPenalty, repeatLastN, s);
    }

    /** True when the choice is the argmax (no randomness involved). */
    public boolean isGreedy() {
        return temperature <= 0;
    }
}
