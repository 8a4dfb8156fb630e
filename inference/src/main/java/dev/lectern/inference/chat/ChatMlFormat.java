package dev.lectern.inference.chat;

import java.util.List;
import java.util.Locale;

/**
 * ChatML (Qwen, many fine-tunes): {@code <|im_start|>role\n content <|im_end|>\n} per message, then
 * {@code <|im_start|>assistant\n}. When the conversation has no system message, the default one the
 * model's template writes (Qwen2.5: "You are Qwen, created by Alibaba Cloud. …") is used, if any.
 * Qwen3's template has a thinking switch: with thinking off it opens the reply with an empty
 * {@code <think>\n\n</think>\n\n} block, which is what {@link #withThinking withThinking(false)} renders.
 */
final class ChatMlFormat implements ChatFormat {

    static final String EMPTY_THINK = "<think>\n\n</think>\n\n";

    private final String defaultSystem;
    private final boolean hasThinkingSwitch;
    private final boolean thinking;

    /** @param defaultSystem the system message to use when the conversation has none, or null */
    ChatMlFormat(String defaultSystem) {
        this(defaultSystem, false, true);
    }

    ChatMlFormat(String defaultSystem, boolean hasThinkingSwitch, boolean thinking) {
        this.defaultSystem = defaultSystem;
        this.hasThinkingSwitch = hasThinkingSwitch;
        this.thinking = thinking;
    }

    @Override
    public ChatFormat withThinking(boolean enabled) {
        return hasThinkingSwitch ? new ChatMlFormat(defaultSystem, true, enabled) : this;
    }

    /** The default system message, or null. */
    String defaultSystem() {
        return defaultSystem;
    }

    @Override
    public String name() {
        return "chatml";
    }

    @Override
    public String render(List<ChatMessage> messages) {
        StringBuilder sb = new StringBuilder();
        boolean hasSystem = messages.stream().anyMatch(ChatMessage::isInstruction);
        if (!hasSystem && defaultSystem != null) {
            message(sb, "system", defaultSystem);
        }
        for (ChatMessage m : messages) {
            message(sb, m.isInstruction() ? "system" : m.role().name().toLowerCase(Locale.ROOT), m.content());
        }
        sb.append("<|im_start|>assistant\n");
        if (hasThinkingSwitch && !thinking) {
            sb.append(EMPTY_THINK);
        }
        return sb.toString();
    }

    private static void message(StringBuilder sb, String role, String content) {
        sb.append("<|im_start|>").append(role).append('\n').append(content).append("<|im_end|>\n");
    }
}
