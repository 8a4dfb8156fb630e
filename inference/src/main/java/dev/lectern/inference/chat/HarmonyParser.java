package dev.lectern.inference.chat;

import dev.lectern.inference.tokenizer.StreamingDecoder;
import dev.lectern.inference.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a gpt-oss completion, token by token, into harmony messages. The prompt ends with
 * {@code <|start|>assistant}, so the output begins inside a header:
 * {@code <|channel|>analysis<|message|>…<|end|><|start|>assistant<|channel|>final<|message|>…<|return|>}.
 * A header runs up to {@code <|message|>} and names the role, the channel ({@code <|channel|>}),
 * a recipient ({@code to=…}) and a content type ({@code <|constrain|>}); content runs up to
 * {@code <|end|>} (more messages follow), {@code <|return|>} (done) or {@code <|call|>} (a tool call,
 * done). Content is decoded with a streaming UTF-8 decoder, so characters split across tokens survive.
 * Not thread-safe: one parser per generation.
 */
public final class HarmonyParser {

    /** Stand-ins for {@code <|channel|>} and {@code <|constrain|>} in the header text. */
    private static final char CHANNEL_MARK = '\u0001';
    private static final char CONSTRAIN_MARK = '\u0002';

    private final Tokenizer tokenizer;
    private final int start;
    private final int end;
    private final int message;
    private final int channel;
    private final int constrain;
    private final int returnToken;
    private final int call;

    private final List<HarmonyMessage> messages = new ArrayList<>();
    private final StringBuilder header = new StringBuilder();
    private final StringBuilder content = new StringBuilder();
    private StreamingDecoder decoder;
    private boolean inContent;
    private boolean done;
    private String role;
    private String currentChannel;
    private String recipient;
    private String contentType;

    /**
     * A parser for output that follows {@code <|start|>assistant} (the end of a harmony prompt).
     *
     * @throws IllegalArgumentException when the tokenizer lacks the harmony control tokens
     */
    public HarmonyParser(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.start = required("<|start|>");
        this.end = required("<|end|>");
        this.message = required("<|message|>");
        this.channel = required("<|channel|>");
        this.constrain = required("<|constrain|>");
        this.returnToken = required("<|return|>");
        this.call = required("<|call|>");
        beginHeader("assistant");
    }

    private int required(String piece) {
        int id = tokenizer.tokenId(piece);
        if (id == Tokenizer.NO_TOKEN) {
            throw new IllegalArgumentException("harmony output needs the control token " + piece
                    + ", which this tokenizer's vocabulary does not have (is this a gpt-oss model?)");
        }
        return id;
    }

    /** Parses a whole completion. */
    public static List<HarmonyMessage> parse(Tokenizer tokenizer, int[] ids) {
        HarmonyParser parser = new HarmonyParser(tokenizer);
        for (int id : ids) {
            parser.accept(id);
        }
        return parser.messages();
    }

    /**
     * Feeds one generated token. Returns the text it adds to the current message's content (empty in
     * headers and at markers), so a caller can stream, say, only the {@code final} channel.
     */
    public String accept(int id) {
        if (done) {
            return "";
        }
        if (!inContent) {
            if (id == message) {
                parseHeader();
                inContent = true;
                decoder = new StreamingDecoder(tokenizer);
            } else if (id == start) {
                beginHeader(null);
            } else if (id == channel) {
                header.append(CHANNEL_MARK);
            } else if (id == constrain) {
                header.append(CONSTRAIN_MARK);
            } else {
                header.append(new String(tokenizer.tokenBytes(id), java.nio.charset.StandardCharsets.UTF_8));
            }
            return "";
        }
        if (id == end || id == returnToken || id == call) {
            content.append(decoder.finish());
            messages.add(new HarmonyMessage(role, currentChannel, recipient, contentType, content.toString(), tokenizer.piece(id)));
            done = id != end;
            inContent = false;
            beginHeader(null);
            return "";
        }
        String delta = decoder.append(id);
        content.append(delta);
        return delta;
    }

    /** True after {@code <|return|>} or {@code <|call|>}: the model's turn is over. */
    public boolean isDone() {
        return done;
    }

    /** True while the current message's content is on {@code channelName}. */
    public boolean inChannel(String channelName) {
        return inContent && channelName.equals(currentChannel);
    }

    /** The messages so far, completed ones first, and the one being written (if its content has begun) last. */
    public List<HarmonyMessage> messages() {
        List<HarmonyMessage> all = new ArrayList<>(messages);
        if (inContent) {
            all.add(new HarmonyMessage(role, currentChannel, recipient, contentType, content.toString(), null));
        }
        return all;
    }

    /** The text of the last {@code final}-channel message, or null when the model has not written one. */
    public String finalText() {
        String text = null;
        for (HarmonyMessage m : messages()) {
            if ("final".equals(m.channel())) {
                text = m.content();
            }
        }
        return text;
    }

    private void beginHeader(String knownRole) {
        header.setLength(0);
        content.setLength(0);
        role = knownRole;
        currentChannel = null;
        recipient = null;
        contentType = null;
        if (knownRole != null) {
            header.append(knownRole);
        }
    }

    /**
     * Header grammar: {@code role [to=recipient] [<|channel|>channel [to=recipient]] [<|constrain|>type]}.
     * {@code <|channel|>} and {@code <|constrain|>} arrive as ids and are kept in the header text as
     * the control characters {@link #CHANNEL_MARK} and {@link #CONSTRAIN_MARK}, which do not occur in header words.
     */
    private void parseHeader() {
        String h = header.toString();
        String roleText = h;
        int ch = h.indexOf(CHANNEL_MARK);
        int co = h.indexOf(CONSTRAIN_MARK);
        int firstMark = min(ch, co);
        if (firstMark >= 0) {
            roleText = h.substring(0, firstMark);
        }
        if (ch >= 0) {
            int stop = co > ch ? co : h.length();
            currentChannel = h.substring(ch + 1, stop);
        }
        if (co >= 0) {
            int stop = ch > co ? ch : h.length();
            contentType = h.substring(co + 1, stop).strip();
        }
        roleText = takeRecipient(roleText);
        if (currentChannel != null) {
            currentChannel = takeRecipient(currentChannel);
        }
        role = roleText.strip().isEmpty() ? (role == null ? "assistant" : role) : roleText.strip();
    }

    /** Removes a {@code to=…} part from a header field, remembering the recipient; returns the rest, stripped. */
    private String takeRecipient(String field) {
        int to = field.indexOf("to=");
        if (to < 0) {
            return field.strip();
        }
        int stop = to + 3;
        while (stop < field.length() && !Character.isWhitespace(field.charAt(stop))) {
            stop++;
        }
        recipient = field.substring(to + 3, stop);
        return (field.substring(0, to) + field.substring(stop)).strip();
    }

    private static int min(int a, int b) {
        if (a < 0) {
            return b;
        }
        return b < 0 ? a : Math.min(a, b);
    }

}
