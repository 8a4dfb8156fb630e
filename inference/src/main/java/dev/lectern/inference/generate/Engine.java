package dev.lectern.inference.generate;

import dev.lectern.inference.chat.ChatFormat;
import dev.lectern.inference.chat.ChatFormats;
import dev.lectern.inference.chat.ChatMessage;
import dev.lectern.inference.chat.HarmonyFormat;
import dev.lectern.inference.chat.HarmonyParser;
import dev.lectern.inference.chat.ThinkBlocks;
import dev.lectern.inference.gguf.GgufFile;
import dev.lectern.inference.model.DecoderModel;
import dev.lectern.inference.model.Models;
import dev.lectern.inference.tensor.Parallel;
import dev.lectern.inference.tokenizer.GgufVocabulary;
import dev.lectern.inference.tokenizer.Tokenizer;
import dev.lectern.inference.tokenizer.Vocabulary;
import dev.lectern.inference.tokenizer.Tokenizers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A language model ready to generate: the mapped GGUF file (mapped once, weights never copied to the heap), its
 * forward pass, tokenizer and chat format, and the worker pool its matrix products run on.
 *
 * <p>Thread safety: the model, tokenizer and chat format are immutable and may be shared; each concurrent
 * generation needs its own {@link Session}. Passes from different threads queue on the one worker pool; give each
 * thread its own engine view with {@link #withThreads(int)} to run them side by side.
 */
public final class Engine implements AutoCloseable {
    private final DecoderModel model;
    private final Tokenizer tokenizer;
    private final ChatFormat chatFormat;
    private final Parallel parallel;

    private Engine(DecoderModel model, Tokenizer tokenizer, ChatFormat chatFormat, Parallel parallel) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.chatFormat = chatFormat;
        this.parallel = parallel;
    }

    /**
     * Maps {@code modelPath} and builds its forward pass, tokenizer and chat format.
     *
     * @param threads        worker threads for the matrix products (results do not depend on it)
     * @param chatFormatName a chat format by name ({@link ChatFormats#forName}), or null to read it from the
     *                       file's {@code tokenizer.chat_template} (plain completion when it matches no known format)
     * @throws IllegalArgumentException if the file does not exist or the format name is unknown
     * @throws dev.lectern.inference.gguf.GgufFormatException if it is not a GGUF file Lectern can run
     */
    public static Engine load(Path modelPath, int threads, String chatFormatName) {
        if (!Files.isRegularFile(modelPath)) {
            throw new IllegalArgumentException(modelPath + ": model file not found");
        }
        GgufFile file = GgufFile.open(modelPath);
        DecoderModel model = Models.load(file);
        Vocabulary vocabulary = GgufVocabulary.read(file);
        Tokenizer tokenizer = Tokenizers.create(vocabulary);
        if (tokenizer.vocabularySize() > model.vocabSize()) {
            throw new dev.lectern.inference.gguf.GgufFormatException(modelPath, "'tokenizer.ggml.tokens' has "
                    + tokenizer.vocabularySize() + " tokens but 'token_embd.weight' only " + model.vocabSize() + " rows");
        }
        ChatFormat chat = chatFormatName != null ? ChatFormats.forName(chatFormatName)
                : detectOrPlain(vocabulary.chatTemplate(), modelPath.getFileName().toString());
        return new Engine(model, tokenizer, chat, threads == 1 ? Parallel.serial() : new Parallel(threads));
    }

    /** As {@link #load(Path, int, String)} with the chat format read from the file. */
    public static Engine load(Path modelPath, int threads) {
        return load(modelPath, threads, null);
    }

    /**
     * The format the file's template writes; a template no known format matches (a fine-tune's own) falls back to
     * plain completion rather than making the model unusable: name a format to chat with it properly.
     */
    private static ChatFormat detectOrPlain(String template, String source) {
        try {
            return ChatFormats.detect(template, source);
        } catch (IllegalArgumentException unknownTemplate) {
            return ChatFormats.forName("plain");
        }
    }

    /** A view of this engine (same mapped model) whose passes run on a new pool of {@code threads} threads. */
    public Engine withThreads(int threads) {
        return new Engine(model, tokenizer, chatFormat, threads == 1 ? Parallel.serial() : new Parallel(threads));
    }

    public DecoderModel model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public ChatFormat chatFormat() {
        return chatFormat;
    }

    public Parallel parallel() {
        return parallel;
    }

    /** The context the model was trained for ({@code {arch}.context_length}). */
    public int contextLength() {
        return model.config().contextLength();
    }

    /** A new, empty sequence with the model's full context (KV memory grows only with the tokens held). */
    public Session newSession() {
        return new Session(model, contextLength(), parallel);
    }

    /** A new, empty sequence of at most {@code contextLength} tokens (≤ the model's context). */
    public Session newSession(int contextLength) {
        return new Session(model, contextLength, parallel);
    }

    /**
     * The prompt's token ids: as plain text with the model's BOS, or — with {@code chat} — as one user message in
     * the model's chat format (control markers parsed as tokens).
     */
    public int[] encodePrompt(String prompt, boolean chat) {
        return chat
                ? tokenizer.encode(chatFormat.render(null, prompt), true, true)
                : tokenizer.encode(prompt, true, false);
    }

    /** The token ids of a conversation in the model's chat format, ending where the assistant's reply begins. */
    public int[] encodeChat(List<ChatMessage> messages) {
        return tokenizer.encode(chatFormat.render(messages), true, true);
    }

    /** True when the model speaks harmony (gpt-oss): its output has channels and only {@code final} is the answer. */
    public boolean isHarmony() {
        return chatFormat instanceof HarmonyFormat;
    }

    /**
     * Generates a reply to {@code prompt} in a fresh session sized for it, streaming tokens to {@code listener}.
     * With {@code chat}, {@link GenerationResult#reply()} leaves the model's reasoning out (see {@link #generate(int[], boolean, GenerationOptions, TokenListener)}).
     */
    public GenerationResult generate(String prompt, boolean chat, GenerationOptions options, TokenListener listener) {
        int[] ids = encodePrompt(prompt, chat);
        return generate(ids, chat, options, listener);
    }

    /** Generates the assistant's turn of a conversation in a fresh session sized for it. */
    public GenerationResult generate(List<ChatMessage> messages, GenerationOptions options, TokenListener listener) {
        return generate(encodeChat(messages), true, options, listener);
    }

    /**
     * Generates from prompt ids in a fresh session sized for them; for a chat prompt rendered and encoded by the
     * caller (e.g. with {@code chatFormat().withThinking(false)}) pass {@code chat = true}, and the
     * {@link GenerationResult#reply() reply} is the answer without reasoning: harmony's {@code final} channel, or
     * the text after a leading {@code <think>…</think>} block.
     */
    public GenerationResult generate(int[] ids, boolean chat, GenerationOptions options, TokenListener listener) {
        Session session = newSession(Math.min(contextLength(), ids.length + options.maxTokens()));
        GenerationResult r = Generator.generate(session, tokenizer, ids, options, listener);
        if (!chat) return r;
        return r.withReply(isHarmony() ? finalText(r.generatedIds()) : ThinkBlocks.stripLeading(r.text()));
    }

    /** The {@code final} channel of harmony output {@code generatedIds} (empty when the model never reached it). */
    public String finalText(int[] generatedIds) {
        HarmonyParser parser = new HarmonyParser(tokenizer);
        for (int id : generatedIds) parser.accept(id);
        String fin = parser.finalText();
        return fin == null ? "" : fin;
    }

    /** Generates from {@code promptIds} in {@code session}. */
    public GenerationResult generate(Session session, int[] promptIds, GenerationOptions options, TokenListener listener) {
        return Generator.generate(session, tokenizer, promptIds, options, listener);
    }

    /** Stops the worker threads (the mapping is released when the engine is no longer reachable). */
    @Override
    public void close() {
        parallel.close();
    }
}
