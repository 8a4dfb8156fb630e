/**
 * Tokenizers built from GGUF metadata ({@code tokenizer.ggml.*}).
 *
 * <pre>{@code
 * Tokenizer t = GgufVocabulary.tokenizer(GgufFile.open(Path.of("model.gguf")));
 * int[] ids = t.encode("Hello world", true, false);   // add BOS as the model wants; markers as plain text
 * String text = t.decode(ids);                          // "Hello world" (control tokens left out)
 * StreamingDecoder d = t.newDecoder();                  // during generation: whole characters only
 * String piece = d.append(nextId);
 * boolean stop = t.isEndOfGeneration(nextId);           // EOS, <|eot_id|>, <|im_end|>, <|return|> …
 * }</pre>
 *
 * <p>{@code llama} vocabularies give a {@link dev.lectern.inference.tokenizer.SentencePieceTokenizer},
 * {@code gpt2} ones a {@link dev.lectern.inference.tokenizer.ByteLevelBpeTokenizer} with the
 * {@link dev.lectern.inference.tokenizer.PreTokenizer} named by {@code tokenizer.ggml.pre}, {@code bert}
 * ones a {@link dev.lectern.inference.tokenizer.WordPieceTokenizer}. All are immutable and thread-safe.
 */
package dev.lectern.inference.tokenizer;
