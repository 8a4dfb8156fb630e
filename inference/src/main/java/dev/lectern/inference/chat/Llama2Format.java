package dev.lectern.inference.chat;

import java.util.List;

/**
 * Llama 2 chat (Meta's reference {@code chat_completion}): {@code [INST] <<SYS>>\n system \n<</SYS>>\n\n user [/INST]},
 * the system block inside the first user turn; a past answer is followed by {@code </s>} and the next
 * turn starts with a fresh {@code <s>}. The first {@code <s>} is the BOS token, added by the tokenizer.
 */
final class Llama2Format implements ChatFormat {

    @Override
    public String name() {
        return "llama2";
    }

    @Override
    public String render(List<ChatMessage> messages) {
        StringBuilder system = new StringBuilder();
        StringBuilder sb = new StringBuilder();
        boolean firstTurn = true;
        for (ChatMessage m : messages) {
            switch (m.role()) {
                case SYSTEM, DEVELOPER -> system.append(system.isEmpty() ? "" : "\n").append(m.content().strip());
                case USER -> {
                    if (!firstTurn) {
                        sb.append("<s>");
                    }
                    sb.append("[INST] ");
                    if (!system.isEmpty()) {
                        sb.append("<<SYS>>\n").append(system).append("\n<</SYS>>\n\n");
                        system.setLength(0);
                    }
                    sb.append(m.content().strip()).append(" [/INST]");
                    firstTurn = false;
                }
                case ASSISTANT -> sb.append(' ').append(m.content().strip()).append(" </s>");
            }
        }
        return sb.toString();
    }
}
