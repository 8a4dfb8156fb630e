package dev.lectern.inference.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts text into plain-text fragments and special tokens written out in it ({@code <|im_start|>},
 * {@code <s>} …), as llama.cpp does before running the model's tokenizer on the text in between.
 * User-defined tokens are always recognised; control and unknown tokens only when asked to
 * ({@code parseSpecial}). At each position the longest matching token wins; a character trie keeps
 * this linear in the text length whatever the number of special tokens (o200k_harmony has ~1000).
 */
final class SpecialTokenSplitter {

    /** Receives the fragments in order. */
    interface Sink {
        void text(String text);

        void token(int id);
    }

    /** A trie node: children by character, and the token ending here (or -1) per mode. */
    private static final class Node {
        final Map<Character, Node> children = new HashMap<>(4);
        int alwaysId = -1;   // user-defined token ending here
        int specialId = -1;  // control/unknown/user-defined token ending here
    }

    private final Node root = new Node();
    private final boolean hasAlways;
    private final boolean hasSpecial;

    SpecialTokenSplitter(Vocabulary vocabulary) {
        boolean always = false;
        boolean special = false;
        for (int id = 0; id < vocabulary.size(); id++) {
            TokenType type = vocabulary.type(id);
            boolean userDefined = type == TokenType.USER_DEFINED;
            if (!userDefined && type != TokenType.CONTROL && type != TokenType.UNKNOWN) {
                continue;
            }
            String text = vocabulary.tokens().get(id);
            if (text.isEmpty()) {
                continue;
            }
            Node node = root;
            for (int i = 0; i < text.length(); i++) {
                node = node.children.computeIfAbsent(text.charAt(i), c -> new Node());
            }
            // The first id for a text wins, as in a text-to-id map built in id order.
            if (node.specialId < 0) {
                node.specialId = id;
            }
            if (userDefined && node.alwaysId < 0) {
                node.alwaysId = id;
                always = true;
            }
            special = true;
        }
        this.hasAlways = always;
        this.hasSpecial = special;
    }

    /** Splits {@code text}, sending fragments to {@code sink}; empty text fragments are not sent. */
    void split(String text, boolean parseSpecial, Sink sink) {
        if (!(parseSpecial ? hasSpecial : hasAlways)) {
            if (!text.isEmpty()) {
                sink.text(text);
            }
            return;
        }
        int textStart = 0;
        int i = 0;
        while (i < text.length()) {
            int matchEnd = -1;
            int matchId = -1;
            Node node = root;
            for (int j = i; j < text.length(); j++) {
                node = node.children.get(text.charAt(j));
                if (node == null) {
                    break;
                }
                int id = parseSpecial ? node.specialId : node.alwaysId;
                if (id >= 0) {
                    matchEnd = j + 1;
                    matchId = id;
                }
            }
            if (matchId < 0) {
                i++;
                continue;
            }
            if (i > textStart) {
                sink.text(text.substring(textStart, i));
            }
            sink.token(matchId);
            i = matchEnd;
            textStart = i;
        }
        if (textStart < text.length()) {
            sink.text(text.substring(textStart));
        }
    }

    /** Convenience for tests: the fragments as a list of strings and {@code Integer} ids. */
    List<Object> fragments(String text, boolean parseSpecial) {
        List<Object> out = new ArrayList<>();
        split(text, parseSpecial, new Sink() {
            public void text(String t) {
                out.add(t);
            }

            public void token(int id) {
                out.add(id);
            }
        });
        return out;
    }
}
