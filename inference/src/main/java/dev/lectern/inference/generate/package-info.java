/**
 * The engine API: load a GGUF language model once, then generate from any number of sessions.
 *
 * <pre>{@code
 * try (Engine engine = Engine.load(Path.of("model.gguf"), 2)) {          // mapped once, 2 worker threads
 *     GenerationOptions opts = new GenerationOptions(256, SamplingParameters.defaults(42));
 *     GenerationResult r = engine.generate("Summarize: ...", true, opts,   // true: the model's chat format
 *             (id, text) -> System.out.print(text));                       // streamed as tokens come
 *     String answer = r.reply();                                           // harmony models: the final channel
 * }
 * }</pre>
 *
 * <p>Lower level: {@link dev.lectern.inference.generate.Session} holds one sequence's KV cache and offers
 * {@code prefill(int[])}, {@code decode(int)} and {@code logProbabilities(int[])}. Several sequences share one
 * forward pass per step through {@link dev.lectern.inference.generate.BatchGenerator} (built on
 * {@link dev.lectern.inference.model.Batch} rows of (sequence, position, token)). Results are bit-identical for any
 * thread count.
 */
package dev.lectern.inference.generate;
