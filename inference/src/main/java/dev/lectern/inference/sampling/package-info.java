/**
 * Choosing the next token from logits: greedy, or a seeded draw after repetition penalty, top-k,
 * top-p, min-p and temperature (llama.cpp's order).
 *
 * <pre>{@code
 * Sampler sampler = new Sampler(SamplingParameters.defaults(42).withTemperature(0.7f), vocabularySize);
 * for (int id : promptIds) sampler.accept(id);      // for the repetition penalty
 * int next = sampler.sample(logits);                 // logits left unchanged
 * sampler.accept(next);
 * }</pre>
 */
package dev.lectern.inference.sampling;
