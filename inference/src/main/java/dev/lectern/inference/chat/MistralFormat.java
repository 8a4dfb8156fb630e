package dev.lectern.inference.chat;

import java.util.List;

/**
 * Mistral Instruct (the v0.1/v0.2 template): {@code [INST] user [/INST]}, a past answer followed by
 * {@code </s>}. Mistral has no system role: system text goes before the first user message, separated
 * by a blank line, as Mistral's later templates do. The leading {@code <s>} is the BOS token.
 */
final class MistralFormat implements ChatFormat {

    @Override
    public String name() {
        return "mistral";
    }

    @Override
    public String render(List<ChatMessage> messages) {
        StringBuilder system = new StringBuilder();
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : messages) {
            switch (m.role()) {
                case SYSTEM, DEVELOPER -> system.append(system.isEmpty() ? "" : "\n\n").append(m.content().strip());
                case USER -> {
                    sb.append("[INST] ");
                    if (!system.isEmpty()) {
                        sb.append(system).append("\n\n");
                        system.setLength(0);
                    }
                    sb.append(m.content().strip()).append(" [/INST]");
                }
                case ASSISTANT -> sb.append(m.content().strip()).append("</s>");
            }
        }
        return sb.toString();
    }
}
