/**
 * Chat prompt formats, picked from a model's {@code tokenizer.chat_template} by the markers it writes
 * (no Jinja is run), and the harmony format of gpt-oss.
 *
 * <pre>{@code
 * ChatFormat format = ChatFormats.detect(vocabulary.chatTemplate(), "model.gguf");
 * int[] prompt = tokenizer.encode(format.render("Be brief.", "Summarize: ..."), true, true);
 * // gpt-oss: the reply comes in channels; keep the final one
 * String answer = HarmonyParser.parse(tokenizer, generatedIds).stream()
 *         .filter(m -> "final".equals(m.channel())).map(HarmonyMessage::content).reduce("", (a, b) -> b);
 * }</pre>
 */
package dev.lectern.inference.chat;
