/**
 * Chat prompt formats, picked from a model's {@code tokenizer.chat_template} by the markers it writes
 * (no Jinja is run), and the harmony format of gpt-oss.
 *
 * <pre>{@code
 * ChatFormat format = ChatFormats.detect(vocabulary.chatTemplate(), "model.gguf");
 * int[] prompt = tokenizer.encode(format.render("Be brief.", "Summarize: ..."), true, true);
 * // gpt-oss: the reply comes in channels; keep the final one
 * HarmonyParser parser = new HarmonyParser(tokenizer);
 * for (int id : generatedIds) parser.accept(id);
 * String answer = parser.finalText();   // null when the model never reached the final channel
 * }</pre>
 */
package dev.lectern.inference.chat;
