package dev.lectern.inference.chat;

import java.util.List;

/**
 * Turns a conversation into the prompt text a chat model was trained on, ending with the opening of
 * the assistant's turn. Control tokens are written out ({@code <|im_start|>} …) and the BOS token is
 * left out: encode the result with {@code tokenizer.encode(prompt, true, true)} (add BOS if the model
 * wants it, parse the control tokens).
 */
public interface ChatFormat {

    /** Short name: {@code llama3}, {@code chatml}, {@code mistral}, {@code llama2}, {@code phi3}, {@code harmony}, {@code plain}. */
    String name();

    /** The prompt for {@code messages}, ending where the assistant's reply begins. */
    String render(List<ChatMessage> messages);

    /**
     * The same format with the model's thinking switched on or off, for models whose template has
     * such a switch (Qwen3's {@code enable_thinking}); other formats return themselves.
     */
    default ChatFormat withThinking(boolean enabled) {
        return this;
    }

    /** Convenience: an optional system message (null or blank for none) and one user message. */
    default String render(String system, String user) {
        return system == null || system.isBlank()
                ? render(List.of(ChatMessage.user(user)))
                : render(List.of(ChatMessage.system(system), ChatMessage.user(user)));
    }
}
