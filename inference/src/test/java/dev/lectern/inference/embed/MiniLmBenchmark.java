package dev.lectern.inference.embed;

import dev.lectern.inference.tensor.Parallel;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Sentences per second for all-MiniLM-L6-v2 on this engine: batches of ~30-word English sentences, at 1 and 2
 * threads. Not a unit test (speed goals live in benchmarks). Run from the inference module:
 * <pre>
 *   ./build -q -o -pl inference test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 *   java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *        dev.lectern.inference.embed.MiniLmBenchmark [sentences per batch] [seconds per measurement]
 * </pre>
 */
public final class MiniLmBenchmark {
    private static final String[] WORDS = ("the archive holds letters reports and minutes from the harbour office "
            + "written between the wars by clerks who recorded every ship cargo delay and storm with care while "
            + "engineers measured tides repaired cranes and argued about budgets that the council rarely approved "
            + "in time for winter").split(" ");

    private MiniLmBenchmark() {
    }

    public static void main(String[] args) {
        int batchSize = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        long start = System.nanoTime();
        SentenceEmbedder shared = DefaultModel.load(Parallel.serial());
        System.out.printf(Locale.ROOT, "model load: %.2f s%n", (System.nanoTime() - start) / 1e9);
        List<String> batch = sentences(batchSize, 30, 42);
        int pieces = 0;
        for (String s : batch) {
            pieces += shared.countTokens(s) + 2;
        }
        System.out.printf(Locale.ROOT, "batch: %d sentences of 30 words, %.1f pieces each with [CLS]/[SEP]%n",
                batchSize, (double) pieces / batchSize);
        for (int threads : new int[] {1, 2}) {
            try (Parallel parallel = new Parallel(threads)) {
                SentenceEmbedder embedder = shared.withParallel(parallel);
                measure(embedder, batch, Math.min(3, seconds / 3)); // warm-up: let the JIT compile the kernels
                long cpuBefore = processCpuNanos();
                long wallBefore = System.nanoTime();
                double rate = measure(embedder, batch, seconds);
                double cpuShare = (processCpuNanos() - cpuBefore) / (double) (System.nanoTime() - wallBefore);
                // CPUs busy shows how much of the machine the run really got (other processes share it).
                System.out.printf(Locale.ROOT, "threads %d: %.1f sentences/s (%.1f ms per batch of %d), %.2f CPUs busy%n",
                        threads, rate, 1000.0 * batchSize / rate, batchSize, cpuShare);
            }
        }
    }

    /** CPU time of the whole process: on a shared machine, what the run really got. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Sentences per second over about {@code seconds} of repeated batches. */
    private static double measure(SentenceEmbedder embedder, List<String> batch, double seconds) {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        int embedded = 0;
        do {
            embedded += embedder.embed(batch).length;
        } while (System.nanoTime() < deadline);
        return embedded / ((System.nanoTime() - start) / 1e9);
    }

    static List<String> sentences(int count, int words, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> sentences = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder sentence = new StringBuilder();
            for (int w = 0; w < words; w++) {
                String word = WORDS[random.nextInt(WORDS.length)];
                sentence.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : " " + word);
            }
            sentences.add(sentence.append('.').toString());
        }
        return sentences;
    }
}
