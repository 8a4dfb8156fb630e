package dev.lectern.inference.cli;

import dev.lectern.inference.chat.ChatMessage;
import dev.lectern.inference.chat.HarmonyParser;
import dev.lectern.inference.generate.Engine;
import dev.lectern.inference.generate.GenerationOptions;
import dev.lectern.inference.generate.GenerationResult;
import dev.lectern.inference.model.ContextOverflowException;
import dev.lectern.inference.sampling.SamplingParameters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code lectern generate}: runs a GGUF language model on a prompt, streaming the generated text to stdout and
 * the prompt and generation speeds to stderr. Errors (missing file, malformed GGUF, unsupported architecture,
 * prompt too long) are one line on stderr and exit code 1.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text with a GGUF language model (llama, qwen2, qwen3, gpt-oss architectures).")
public final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "GGUF model file.")
    Path model;

    @Option(names = "--prompt", required = true, description = "Prompt text.")
    String prompt;

    @Option(names = "--chat", description = "Wrap the prompt as a user message in the model's chat format.")
    boolean chat;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message (with --chat).")
    String system;

    @Option(names = "--chat-format", paramLabel = "NAME",
            description = "Chat format instead of the one the model's template implies: llama3, chatml, llama2, mistral, phi3, harmony, plain.")
    String chatFormat;

    @Option(names = "--max-tokens", defaultValue = "256", paramLabel = "N",
            description = "Maximum tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "0.8", paramLabel = "T",
            description = "Sampling temperature; 0 is greedy (default: ${DEFAULT-VALUE}, with top-k 40, top-p 0.95, min-p 0.05).")
    float temperature;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "Random seed: the same seed, prompt and model give the same text (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads (default: available processors). Results do not depend on it.")
    Integer threads;

    @Option(names = "--context", paramLabel = "N",
            description = "Context length, at most the model's context_length (default: the model's).")
    Integer context;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (maxTokens < 1) throw new IllegalArgumentException("--max-tokens: expected at least 1, got " + maxTokens);
            int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            if (nThreads < 1) throw new IllegalArgumentException("--threads: expected at least 1, got " + nThreads);
            SamplingParameters sampling = temperature <= 0
                    ? SamplingParameters.greedy()
                    : SamplingParameters.defaults(seed).withTemperature(temperature);
            if (system != null && !chat) throw new IllegalArgumentException("--system: only applies with --chat");
            try (Engine engine = Engine.load(model, nThreads, chatFormat)) {
                int ctx = context == null ? engine.contextLength() : context;
                if (ctx < 1 || ctx > engine.contextLength()) {
                    throw new IllegalArgumentException("--context: expected 1.." + engine.contextLength()
                            + " (the model's context_length), got " + ctx);
                }
                int[] ids = system == null
                        ? engine.encodePrompt(prompt, chat)
                        : engine.encodeChat(List.of(ChatMessage.system(system), ChatMessage.user(prompt)));
                // A harmony (gpt-oss) reply has an analysis channel before the answer: stream only the final one.
                HarmonyParser harmony = chat && engine.isHarmony() ? new HarmonyParser(engine.tokenizer()) : null;
                GenerationResult r = engine.generate(engine.newSession(ctx), ids,
                        new GenerationOptions(maxTokens, sampling), (id, text) -> {
                            if (harmony == null) {
                                out.print(text);
                            } else if (id >= 0) {
                                String delta = harmony.accept(id);
                                if (harmony.inChannel("final")) out.print(delta);
                            }
                            out.flush();
                        });
                out.println();
                out.flush();
                err.printf(Locale.ROOT, "prompt: %d tokens, %.1f tok/s; generation: %d tokens, %.1f tok/s; stop: %s%n",
                        r.promptIds().length, r.promptTokensPerSecond(), r.generatedIds().length,
                        r.generationTokensPerSecond(), r.stopReason().name().toLowerCase(Locale.ROOT));
                err.flush();
            }
            return 0;
        } catch (ContextOverflowException e) {
            out.flush();
            err.println("lectern generate: " + e.getMessage() + " (shorten the prompt, or set --context up to the model's context_length)");
            err.flush();
            return 1;
        } catch (RuntimeException e) {
            out.flush();
            err.println("lectern generate: " + describe(e));
            err.flush();
            return 1;
        }
    }

    /** One line for a failure: the message of the error, or its type when it has none. */
    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? "internal error: " + e : m.replace('\n', ' ');
    }

    /** Runs the command on its own: {@code java ... dev.lectern.inference.cli.GenerateCommand --model F --prompt P}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new GenerateCommand()).execute(args));
    }
}
