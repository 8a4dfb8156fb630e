package dev.lectern.inference.chat;

import java.util.Objects;

/** One message of a conversation. */
public record ChatMessage(Role role, String content) {

    /** Who speaks. {@link #DEVELOPER} is harmony's instruction role; other formats treat it as a system message. */
    public enum Role { SYSTEM, DEVELOPER, USER, ASSISTANT }

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content);
    }

    public static ChatMessage developer(String content) {
        return new ChatMessage(Role.DEVELOPER, content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content);
    }

    /** True for the roles that carry instructions (system, developer). */
    public boolean isInstruction() {
        return role == Role.SYSTEM || role == Role.DEVELOPER;
    }
}
