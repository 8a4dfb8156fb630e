package dev.lectern.pipeline.llm;

import dev.lectern.inference.chat.ChatFormat;
import dev.lectern.inference.chat.HarmonyParser;
import dev.lectern.inference.chat.ThinkBlocks;
import dev.lectern.inference.generate.BatchGenerator;
import dev.lectern.inference.generate.Engine;
import dev.lectern.inference.generate.GenerationResult;
import dev.lectern.inference.gguf.GgufFormatException;
import dev.lectern.inference.tokenizer.Tokenizer;
import dev.lectern.pipeline.model.FileDigests;
import dev.lectern.pipeline.model.ModelIdentity;
import dev.lectern.pipeline.model.ModelLoadException;
import dev.lectern.pipeline.model.ModelSpec;
import dev.lectern.pipeline.model.SharedModels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A GGUF language model as the pipeline's tasks use it: the engine (mapped once per JVM through
 * {@link SharedModels}), the chat format prompts are written in (thinking switched off: a summary or a label is
 * wanted, not a chain of thought), and the JVM's inference queues ({@link BatchGenerator}, one per batch size)
 * that every worker thread feeds.
 */
public final class LanguageModel implements AutoCloseable {

    private final Engine engine;
    private final ChatFormat chatFormat;
    private final ModelIdentity identity;
    private final Map<Integer, BatchGenerator> queues = new HashMap<>();

    private LanguageModel(Engine engine, ModelIdentity identity) {
        this.engine = engine;
        this.chatFormat = engine.chatFormat().withThinking(false);
        this.identity = identity;
    }

    /**
     * Whether the LLM tasks run this model: a GGUF file (not the built-in sentence encoder). Which architecture it
     * holds is checked when it loads, with a message naming the file.
     */
    public static boolean supports(ModelSpec spec) {
        return !spec.isBuiltIn() && "gguf".equals(spec.extension());
    }

    /**
     * The JVM's instance of the model {@code spec} names, loading it on first use.
     *
     * @throws ModelLoadException with one line naming the file when it is missing, not GGUF, malformed or of an
     *                            architecture Lectern cannot run
     */
    public static LanguageModel shared(ModelSpec spec) {
        Path file = spec.file();
        if (file == null) {
            throw new ModelLoadException("a language-model task needs a GGUF file in model.path");
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(file + ": model file not found");
        }
        String sha256;
        try {
            sha256 = FileDigests.cachedSha256(file);
        } catch (IOException e) {
            throw new ModelLoadException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        String key = SharedModels.keyFor(spec, sha256) + "#chat=" + spec.chatFormat();
        return SharedModels.get(key, LanguageModel.class, () -> load(spec, file, sha256));
    }

    private static LanguageModel load(ModelSpec spec, Path file, String sha256) {
        try {
            int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
            Engine engine = Engine.load(file, threads, spec.chatFormat());
            if (engine.isHarmony()) {
                // Harmony answers are found by their control tokens: a vocabulary without them cannot speak it.
                try {
                    new HarmonyParser(engine.tokenizer());
                } catch (IllegalArgumentException e) {
                    engine.close();
                    throw new ModelLoadException(file + ": chat format harmony: " + e.getMessage());
                }
            }
            return new LanguageModel(engine, new ModelIdentity(file.getFileName().toString(), sha256));
        } catch (ModelLoadException e) {
            throw e;
        } catch (GgufFormatException e) {
            throw new ModelLoadException(oneLine(e.getMessage()), e);
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new ModelLoadException(file + ": cannot be loaded as a language model: " + oneLine(String.valueOf(e.getMessage())), e);
        }
    }

    private static String oneLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    public Engine engine() {
        return engine;
    }

    public Tokenizer tokenizer() {
        return engine.tokenizer();
    }

    public ModelIdentity identity() {
        return identity;
    }

    /** The chat format's name, as records state it. */
    public String chatFormatName() {
        return chatFormat.name();
    }

    /** The model's context window in tokens. */
    public int contextLength() {
        return engine.contextLength();
    }

    /** The JVM's inference queue decoding up to {@code batchSize} sequences per forward pass. */
    public synchronized BatchGenerator queue(int batchSize) {
        return queues.computeIfAbsent(batchSize, size -> new BatchGenerator(engine, size));
    }

    /** Model tokens in {@code text} (no BOS, control markers as plain text): what chunk budgets count. */
    public int countTokens(String text) {
        return text.isEmpty() ? 0 : engine.tokenizer().encode(text, false, false).length;
    }

    /**
     * The token ids of {@code userMessage} as one user turn in the model's chat format, ending where the
     * assistant's answer begins (with the BOS the model wants). Plain completion models get the text itself.
     */
    public int[] encodeUserTurn(String userMessage) {
        return engine.tokenizer().encode(chatFormat.render(null, userMessage), true, true);
    }

    /**
     * As {@link #encodeUserTurn}, and for a harmony model also the opening of the {@code final} channel, so that
     * what follows is scored as the answer itself (not as the model's analysis).
     */
    public int[] encodeAnswerStart(String userMessage) {
        String prompt = chatFormat.render(null, userMessage);
        if (engine.isHarmony()) prompt += "<|channel|>final<|message|>";
        return engine.tokenizer().encode(prompt, true, true);
    }

    /** Whether answers follow the prompt directly as text (plain completion) rather than in an assistant turn. */
    public boolean isPlainCompletion() {
        return "plain".equals(chatFormat.name());
    }

    /** The answer in a generation: harmony's {@code final} channel, without a leading think block, trimmed. */
    public static String answer(GenerationResult result) {
        return ThinkBlocks.stripLeading(result.reply()).strip();
    }

    @Override
    public synchronized void close() {
        queues.values().forEach(BatchGenerator::close);
        queues.clear();
        engine.close();
    }
}
