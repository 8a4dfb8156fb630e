package dev.lectern.inference.chat;

import java.util.List;

/**
 * Plain completion, for models without a chat template: the messages' texts joined by blank lines,
 * so the model continues the text.
 */
final class PlainFormat implements ChatFormat {

    @Override
    public String name() {
        return "plain";
    }

    @Override
    public String render(List<ChatMessage> messages) {
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : messages) {
            if (!sb.isEmpty()) {
                sb.append("\n\n");
            }
            sb.append(m.content());
        }
        return sb.toString();
    }
}
