package dev.lectern.inference.chat;

import java.util.List;
import java.util.Locale;

/**
 * Llama 3 / 3.1 / 3.2 (Meta's model card "Prompt format"): each message is
 * {@code <|start_header_id|>role<|end_header_id|>\n\n content <|eot_id|>}, with content trimmed as
 * Meta's template does; the prompt ends with an open assistant header. The leading
 * {@code <|begin_of_text|>} is the BOS token, added by the tokenizer.
 */
final class Llama3Format implements ChatFormat {

    @Override
    public String name() {
        return "llama3";
    }

    @Override
    public String render(List<ChatMessage> messages) {
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : messages) {
            String role = m.isInstruction() ? "system" : m.role().name().toLowerCase(Locale.ROOT);
            header(sb, role);
            sb.append(m.content().strip()).append("<|eot_id|>");
        }
        header(sb, "assistant");
        return sb.toString();
    }

    private static void header(StringBuilder sb, String role) {
        sb.append("<|start_header_id|>").append(role).append("<|end_header_id|>\n\n");
    }
}
