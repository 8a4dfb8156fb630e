package dev.lectern.inference.chat;

import java.util.List;
import java.util.Locale;

/** Phi-3: {@code <|role|>\n content <|end|>\n} per message, then {@code <|assistant|>\n}. */
final class Phi3Format implements ChatFormat {

    @Override
    public String name() {
        return "phi3";
    }

    @Override
    public String render(List<ChatMessage> messages) {
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : messages) {
            String role = m.isInstruction() ? "system" : m.role().name().toLowerCase(Locale.ROOT);
            sb.append("<|").append(role).append("|>\n").append(m.content()).append("<|end|>\n");
        }
        sb.append("<|assistant|>\n");
        return sb.toString();
    }
}
