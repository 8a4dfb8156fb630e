package dev.lectern.inference.chat;

import java.util.List;
import java.util.Objects;

/**
 * OpenAI's harmony format for gpt-oss (public spec: the "OpenAI harmony response format" guide in
 * openai/openai-cookbook, {@code articles/openai-harmony.md}). Every message is
 * {@code <|start|>role<|message|>content<|end|>}:
 * <ul>
 *   <li>a system message with the model identity, knowledge cutoff, optional current date, the
 *       reasoning effort and the valid channels;</li>
 *   <li>a developer message {@code # Instructions\n\n…} holding what other formats call the system prompt
 *       (our system and developer messages);</li>
 *   <li>user messages; past assistant answers as {@code final}-channel messages ended by {@code <|end|>}
 *       (earlier chain of thought is dropped, as the spec asks);</li>
 *   <li>and the opening {@code <|start|>assistant} of the reply.</li>
 * </ul>
 * The current date is left out unless given, so prompts do not change from day to day.
 */
public final class HarmonyFormat implements ChatFormat {

    static final String IDENTITY = "You are ChatGPT, a large language model trained by OpenAI.";
    static final String DEFAULT_KNOWLEDGE_CUTOFF = "2024-06";
    static final String CHANNELS = "# Valid channels: analysis, commentary, final. Channel must be included for every message.";

    private final ReasoningEffort effort;
    private final String knowledgeCutoff;
    private final String currentDate;

    /** Medium reasoning (the model's default), knowledge cutoff 2024-06, no current date. */
    public HarmonyFormat() {
        this(ReasoningEffort.MEDIUM, DEFAULT_KNOWLEDGE_CUTOFF, null);
    }

    /**
     * @param currentDate {@code YYYY-MM-DD} written as "Current date", or null to leave the line out
     */
    public HarmonyFormat(ReasoningEffort effort, String knowledgeCutoff, String currentDate) {
        this.effort = Objects.requireNonNull(effort, "effort");
        this.knowledgeCutoff = Objects.requireNonNull(knowledgeCutoff, "knowledgeCutoff");
        this.currentDate = currentDate;
    }

    /** The same format with another reasoning effort. */
    public HarmonyFormat withReasoningEffort(ReasoningEffort e) {
        return new HarmonyFormat(e, knowledgeCutoff, currentDate);
    }

    /** The same format with a current date ({@code YYYY-MM-DD}), or none for null. */
    public HarmonyFormat withCurrentDate(String date) {
        return new HarmonyFormat(effort, knowledgeCutoff, date);
    }

    public ReasoningEffort reasoningEffort() {
        return effort;
    }

    @Override
    public String name() {
        return "harmony";
    }

    @Override
    public String render(List<ChatMessage> messages) {
        StringBuilder sb = new StringBuilder();
        sb.append("<|start|>system<|message|>").append(IDENTITY).append('\n')
                .append("Knowledge cutoff: ").append(knowledgeCutoff).append('\n');
        if (currentDate != null) {
            sb.append("Current date: ").append(currentDate).append('\n');
        }
        sb.append("\nReasoning: ").append(effort.word()).append("\n\n").append(CHANNELS).append("<|end|>");

        StringBuilder instructions = new StringBuilder();
        for (ChatMessage m : messages) {
            if (m.isInstruction()) {
                instructions.append(instructions.isEmpty() ? "" : "\n\n").append(m.content());
            }
        }
        if (!instructions.isEmpty()) {
            sb.append("<|start|>developer<|message|># Instructions\n\n").append(instructions).append("<|end|>");
        }
        for (ChatMessage m : messages) {
            switch (m.role()) {
                case USER -> sb.append("<|start|>user<|message|>").append(m.content()).append("<|end|>");
                case ASSISTANT -> sb.append("<|start|>assistant<|channel|>final<|message|>").append(m.content()).append("<|end|>");
                case SYSTEM, DEVELOPER -> { }
            }
        }
        sb.append("<|start|>assistant");
        return sb.toString();
    }
}
