package dev.lectern.inference.chat;

/**
 * One message parsed from harmony output.
 *
 * @param role        {@code assistant} for the model's own messages (or a tool name)
 * @param channel     {@code analysis} (chain of thought), {@code commentary} (tool calls, preambles) or {@code final}; null if none was given
 * @param recipient   the {@code to=} target of a tool call ({@code functions.get_weather}), or null
 * @param contentType the {@code <|constrain|>} type of a tool call ({@code json}), or null
 * @param content     the message text
 * @param end         how the message ended: {@code <|end|>}, {@code <|return|>}, {@code <|call|>}, or null when the output stopped inside it
 */
public record HarmonyMessage(String role, String channel, String recipient, String contentType, String content, String end) {

    /** True when the message reached its end marker. */
    public boolean isComplete() {
        return end != null;
    }
}
