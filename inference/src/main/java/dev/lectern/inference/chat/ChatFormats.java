package dev.lectern.inference.chat;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the chat format of a model from its {@code tokenizer.chat_template} (a Jinja template we do
 * not run: the markers it writes tell the format apart), or by name.
 */
public final class ChatFormats {

    /** A literal ChatML system block in a template, e.g. Qwen's default system message. */
    private static final Pattern LITERAL_SYSTEM = Pattern.compile("<\\|im_start\\|>system(?:\\\\n|\\n)(.*?)<\\|im_end\\|>", Pattern.DOTALL);

    private ChatFormats() {
    }

    /**
     * The format a chat template writes: harmony ({@code <|channel|>}), Llama 3 ({@code <|start_header_id|>}),
     * ChatML ({@code <|im_start|>}), Llama 2 ({@code <<SYS>>}), Mistral ({@code [INST]}), Phi-3 ({@code <|user|>});
     * plain completion when there is no template.
     *
     * @param source where the template came from (a file name), for the error message
     * @throws IllegalArgumentException naming {@code tokenizer.chat_template} when no known format matches
     */
    public static ChatFormat detect(String chatTemplate, String source) {
        if (chatTemplate == null || chatTemplate.isBlank()) {
            return new PlainFormat();
        }
        String t = chatTemplate;
        if (t.contains("<|start|>") && t.contains("<|message|>") && t.contains("<|channel|>")) {
            return new HarmonyFormat();
        }
        if (t.contains("<|start_header_id|>")) {
            return new Llama3Format();
        }
        if (t.contains("<|im_start|>")) {
            return new ChatMlFormat(defaultChatMlSystem(t), t.contains("enable_thinking"), true);
        }
        if (t.contains("<<SYS>>")) {
            return new Llama2Format();
        }
        if (t.contains("[INST]")) {
            return new MistralFormat();
        }
        if (t.contains("<|user|>") && t.contains("<|assistant|>")) {
            return new Phi3Format();
        }
        String start = t.length() > 80 ? t.substring(0, 80) + "…" : t;
        throw new IllegalArgumentException(source + ": tokenizer.chat_template: expected a Llama 3, ChatML, Llama 2, "
                + "Mistral, Phi-3 or harmony template, got one starting '" + start.replace("\n", "\\n")
                + "'; choose a format by name (llama3, chatml, llama2, mistral, phi3, harmony, plain)");
    }

    /** The format called {@code name}: {@code llama3}, {@code chatml}, {@code qwen3} (ChatML with a thinking switch), {@code llama2}, {@code mistral}, {@code phi3}, {@code harmony}, {@code plain}. */
    public static ChatFormat forName(String name) {
        return switch (name == null ? "" : name.strip().toLowerCase(Locale.ROOT)) {
            case "llama3" -> new Llama3Format();
            case "chatml" -> new ChatMlFormat(null);
            case "qwen3" -> new ChatMlFormat(null, true, true);
            case "llama2" -> new Llama2Format();
            case "mistral" -> new MistralFormat();
            case "phi3" -> new Phi3Format();
            case "harmony" -> new HarmonyFormat();
            case "plain" -> new PlainFormat();
            default -> throw new IllegalArgumentException(
                    "chat format: expected llama3, chatml, qwen3, llama2, mistral, phi3, harmony or plain, got '" + name + "'");
        };
    }

    /** The first literal system message a ChatML template writes by itself (no Jinja inside), or null. */
    static String defaultChatMlSystem(String template) {
        Matcher m = LITERAL_SYSTEM.matcher(template);
        while (m.find()) {
            String text = m.group(1);
            if (!text.isBlank() && !text.contains("{") && !text.contains("}") && !text.contains("'") && !text.contains("\"")) {
                return text.replace("\\n", "\n");
            }
        }
        return null;
    }
}
