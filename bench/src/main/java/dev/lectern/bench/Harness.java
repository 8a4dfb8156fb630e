package dev.lectern.bench;

/**
 * The measuring loop every benchmark uses: warm-up runs (JIT compilation, page faults of the mapped weights,
 * thread start), then measured runs until the plan's run count or time budget is used up. Each run reports one
 * figure (a rate, higher is better) and the median over runs is what tables show.
 *
 * <p>Hand-rolled rather than JMH: a run here lasts from milliseconds (probes) to tens of seconds (a 256-token
 * prefill of a 1B model), the subjects need multi-gigabyte fixtures prepared once per process, and the suites
 * must fit a ten-minute budget; JMH's forked JVMs and fixed iteration times fit none of that.
 */
public final class Harness {

    /** One run of the subject; returns its figure (e.g. tokens/s). */
    @FunctionalInterface
    public interface Run {
        double run() throws Exception;
    }

    /**
     * How many runs to do.
     *
     * @param warmups runs whose figures are discarded
     * @param minRuns measured runs to do at least, unless {@code hardLimitSeconds} is reached first (then at least 1)
     * @param maxRuns measured runs to do at most
     * @param budgetSeconds stop after this much measuring once {@code minRuns} are done
     * @param hardLimitSeconds stop after this much measuring even before {@code minRuns}
     */
    public record Plan(int warmups, int minRuns, int maxRuns, double budgetSeconds, double hardLimitSeconds) {
        public Plan {
            if (warmups < 0 || minRuns < 1 || maxRuns < minRuns || budgetSeconds <= 0 || hardLimitSeconds < budgetSeconds) {
                throw new IllegalArgumentException("bad plan " + warmups + "/" + minRuns + "/" + maxRuns);
            }
        }
    }

    private Harness() {}

    public static Stats measure(String label, Plan plan, Run run) {
        try {
            for (int i = 0; i < plan.warmups(); i++) run.run();
            double[] figures = new double[plan.maxRuns()];
            int n = 0;
            long start = System.nanoTime();
            while (n < plan.maxRuns()) {
                figures[n++] = run.run();
                double elapsed = (System.nanoTime() - start) / 1e9;
                if (elapsed >= plan.hardLimitSeconds()) break;
                if (n >= plan.minRuns() && elapsed >= plan.budgetSeconds()) break;
            }
            Stats stats = new Stats(java.util.Arrays.copyOf(figures, n));
            Log.info("%-48s %s  [%d runs]", label, stats.format(2), n);
            return stats;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(label + ": " + e.getMessage(), e);
        }
    }

    /**
     * Measures several subjects in alternation (one run of each per round), so that a change of load on a shared
     * machine hits them all alike and their ratio stays meaningful. Each subject gets its own warm-ups first.
     */
    public static java.util.List<Stats> interleaved(java.util.List<String> labels, Plan plan, java.util.List<Run> runs) {
        int k = runs.size();
        try {
            for (int i = 0; i < k; i++) {
                for (int w = 0; w < plan.warmups(); w++) runs.get(i).run();
            }
            double[][] figures = new double[k][plan.maxRuns()];
            int n = 0;
            long start = System.nanoTime();
            while (n < plan.maxRuns()) {
                for (int i = 0; i < k; i++) figures[i][n] = runs.get(i).run();
                n++;
                double elapsed = (System.nanoTime() - start) / 1e9;
                if (elapsed >= plan.hardLimitSeconds()) break;
                if (n >= plan.minRuns() && elapsed >= plan.budgetSeconds()) break;
            }
            java.util.List<Stats> out = new java.util.ArrayList<>();
            for (int i = 0; i < k; i++) {
                Stats stats = new Stats(java.util.Arrays.copyOf(figures[i], n));
                Log.info("%-48s %s  [%d runs]", labels.get(i), stats.format(2), n);
                out.add(stats);
            }
            return out;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(labels + ": " + e.getMessage(), e);
        }
    }

    /** Seconds since {@code startNanos}. */
    public static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
