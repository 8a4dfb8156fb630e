package dev.lectern.inference.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into the pieces byte-level BPE merges within, by the regular expressions of the
 * model's pre-tokenizer ({@code tokenizer.ggml.pre}). Several expressions apply in turn, each to the
 * pieces of the previous one; text between matches is kept as a piece of its own (as llama.cpp does).
 * Patterns use Unicode classes ({@code \s} is Unicode white space), like the reference tokenizers.
 */
public final class PreTokenizer {

    /** GPT-2 (and the default for byte-level vocabularies without a pre-tokenizer name). */
    static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /** Llama 3: case-insensitive contractions, digits in groups of up to three, newlines kept apart. */
    static final String LLAMA3 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** Qwen2: as Llama 3 but every digit on its own. */
    static final String QWEN2 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /**
     * tiktoken's o200k (GPT-4o, gpt-oss): words split at case changes, combining marks ({@code \p{M}})
     * count as letters, contractions attach to the word, {@code /} joins a run of punctuation.
     */
    static final String O200K = String.join("|",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "\\p{N}{1,3}",
            " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*",
            "\\s*[\\r\\n]+",
            "\\s+(?!\\S)",
            "\\s+");

    /** Mistral's Tekken (Mistral Nemo): the o200k letter rules without contractions, single digits. */
    static final String TEKKEN = String.join("|",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*",
            "\\p{N}",
            " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*",
            "\\s*[\\r\\n]+",
            "\\s+(?!\\S)",
            "\\s+");

    private final String name;
    private final List<Pattern> patterns;

    private PreTokenizer(String name, String... regexes) {
        this.name = name;
        this.patterns = new ArrayList<>();
        for (String regex : regexes) {
            patterns.add(Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS));
        }
    }

    /**
     * The pre-tokenizer for a GGUF {@code tokenizer.ggml.pre} value (null or {@code default}: GPT-2's).
     *
     * @throws VocabularyException naming {@code source} when the name is not one we know
     */
    public static PreTokenizer forName(String pre, String source) {
        String key = pre == null ? "default" : pre.toLowerCase(Locale.ROOT);
        return switch (key) {
            case "default", "gpt-2" -> new PreTokenizer(key, GPT2);
            case "llama-bpe", "llama3", "llama-v3", "falcon3", "pixtral", "smaug-bpe", "dbrx" -> new PreTokenizer(key, LLAMA3);
            case "qwen2", "deepseek-r1-qwen" -> new PreTokenizer(key, QWEN2);
            case "gpt-4o" -> new PreTokenizer(key, O200K);
            case "tekken" -> new PreTokenizer(key, TEKKEN);
            // SmolLM: every digit apart first, then GPT-2's rules within the rest.
            case "smollm" -> new PreTokenizer(key, "\\p{N}", GPT2);
            default -> throw new VocabularyException(source, "tokenizer.ggml.pre",
                    "a known byte-level pre-tokenizer (gpt-2, llama-bpe, qwen2, gpt-4o, tekken, smollm …), got '" + pre + "'");
        };
    }

    /** The pre-tokenizer's name. */
    public String name() {
        return name;
    }

    /** The pieces of {@code text}, in order; their concatenation is {@code text}. */
    public List<String> split(String text) {
        List<String> pieces = List.of(text);
        for (Pattern pattern : patterns) {
            List<String> next = new ArrayList<>();
            for (String piece : pieces) {
                Matcher m = pattern.matcher(piece);
                int last = 0;
                while (m.find()) {
                    if (m.end() == m.start()) {
                        continue;
                    }
                    if (m.start() > last) {
                        next.add(piece.substring(last, m.start()));
                    }
                    next.add(piece.substring(m.start(), m.end()));
                    last = m.end();
                }
                if (last < piece.length()) {
                    next.add(piece.substring(last));
                }
            }
            pieces = next;
        }
        return pieces;
    }
}
