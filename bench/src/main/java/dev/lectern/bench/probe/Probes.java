package dev.lectern.bench.probe;

import dev.lectern.bench.Harness;
import dev.lectern.bench.Stats;
import dev.lectern.bench.Table;
import dev.lectern.inference.tensor.Parallel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine probes. {@link #measure} runs them on their own for the probe table; the suites also run single
 * passes ({@link #readPass}, {@link #fmaPass}) alternating with their own runs, so that on a shared machine a ratio
 * divides two figures taken at the same moment rather than minutes apart under a different load.
 */
public final class Probes implements AutoCloseable {

    /** The probe figures of one thread count (medians in {@link Stats}). */
    public record Result(int threads, Stats readGBs, Stats fmaGFlops, Stats copyGBs) {}

    private final Map<Integer, Result> results = new LinkedHashMap<>();
    private final ReadBandwidthProbe read;
    private final FmaPeakProbe fma;
    private final CopyProbe copy;
    private final Harness.Plan plan;

    /**
     * @param dir where the read-probe file is kept
     * @param quick smaller arrays and fewer runs (for checking the harness, not for figures)
     */
    public Probes(Path dir, boolean quick) throws IOException {
        long readBytes = quick ? 256L << 20 : 1L << 30;
        read = new ReadBandwidthProbe(dir.resolve("probe-read-" + (readBytes >> 20) + "MiB.bin"), readBytes);
        fma = new FmaPeakProbe(quick ? 20_000_000 : 50_000_000);
        copy = new CopyProbe(quick ? 16 << 20 : 64 << 20);
        plan = quick ? new Harness.Plan(2, 3, 3, 1, 10) : new Harness.Plan(3, 7, 9, 3, 20);
    }

    /** Measures every probe at each thread count, for {@link #table()} and {@link #at}. */
    public Probes measure(List<Integer> threadCounts) {
        for (int t : threadCounts) {
            try (Parallel parallel = new Parallel(t)) {
                Stats r = Harness.measure("probe read bandwidth GB/s, " + t + "T", plan, () -> read.pass(parallel));
                Stats f = Harness.measure("probe FMA peak GFLOP/s, " + t + "T", plan, () -> fma.pass(parallel));
                Stats c = Harness.measure("probe copy loop GB/s, " + t + "T", plan, () -> copy.pass(parallel));
                results.put(t, new Result(t, r, f, c));
            }
        }
        return this;
    }

    /** One pass of the read-bandwidth probe on {@code parallel}'s threads: GB/s. */
    public double readPass(Parallel parallel) {
        return read.pass(parallel);
    }

    /** One pass of the FMA probe on {@code parallel}'s threads: GFLOP/s. */
    public double fmaPass(Parallel parallel) {
        return fma.pass(parallel);
    }

    /** The figures for {@code threads}, or null if that count was not probed. */
    public Result at(int threads) {
        return results.get(threads);
    }

    public Table table() {
        Table t = new Table("probe", "threads", "median (min–max)", "unit");
        for (Result r : results.values()) {
            t.row("read: " + bits(ReadBandwidthProbe.S) + " vector sum over a " + (read.bytes() >> 20) + " MiB mapped file", r.threads(),
                    r.readGBs().format(1), "GB/s");
            t.row("FMA peak: 12 chains of " + bits(FmaPeakProbe.S) + " FloatVector.fma", r.threads(), r.fmaGFlops().format(1), "GFLOP/s");
            t.row("copy: plain float[] loop, read + write bytes", r.threads(), r.copyGBs().format(1), "GB/s");
        }
        return t;
    }

    private static String bits(jdk.incubator.vector.VectorSpecies<Float> s) {
        return s.vectorBitSize() + "-bit";
    }

    @Override
    public void close() {
        read.close();
    }
}
