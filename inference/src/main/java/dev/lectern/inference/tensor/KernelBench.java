package dev.lectern.inference.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.Random;

/**
 * Kernel microbenchmark: times {@link Matrix#matmul} for one type and shape and prints weight bandwidth and
 * GFLOP/s. Not a test; run it on a quiet machine, e.g.
 * {@code java --add-modules jdk.incubator.vector -cp inference/target/classes dev.lectern.inference.tensor.KernelBench Q8_0 8192 2048 1 1 }
 *
 * <p>Arguments: type (one of {@link Quantizer#supportedTypes()}), rows, cols, batch (with a trailing {@code i}:
 * the batch-invariant product multi-sequence decoding uses), threads, and optionally the
 * number of timed iterations. {@code KernelBench probes THREADS} prints the read-bandwidth and FMA-peak probes. The weights are random Gaussian values quantized with {@link Quantizer}, in native
 * memory like a mapped model.
 */
public final class KernelBench {

    /** One measurement. */
    public record Result(GgmlType type, int rows, int cols, int batch, int threads, double secondsPerCall,
                         double weightGBps, double gflops) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-5s %6d x %-6d batch %4d threads %d: %9.3f ms/call  %6.2f GB/s weights  %7.2f GFLOP/s",
                    type, rows, cols, batch, threads, secondsPerCall * 1e3, weightGBps, gflops);
        }
    }

    @SuppressWarnings("unused")
    private static volatile double blackhole;

    private KernelBench() {}

    /** Builds a random matrix of this type and shape in native memory (rows are quantized one at a time). */
    public static Matrix randomMatrix(GgmlType type, int rows, int cols, long seed, Arena arena) {
        long rowBytes = type.byteSize(cols);
        MemorySegment seg = arena.allocate(rowBytes * rows, 64);
        Random rnd = new Random(seed);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < cols; i++) row[i] = (float) (rnd.nextGaussian() * 0.02);
            Quantizer.quantize(type, row, 0, cols, seg, r * rowBytes);
        }
        return Matrix.of(type, seg, rows, cols);
    }

    /** Times {@code iterations} calls after a warm-up of the same length. */
    public static Result run(Matrix m, int batch, Parallel parallel, int iterations) {
        return run(m, batch, parallel, iterations, false);
    }

    /** As {@link #run(Matrix, int, Parallel, int)}, through the batch-invariant product when {@code invariant}. */
    public static Result run(Matrix m, int batch, Parallel parallel, int iterations, boolean invariant) {
        float[] x = new float[batch * m.cols()];
        Random rnd = new Random(1);
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        float[] out = new float[batch * m.rows()];
        for (int i = 0; i < Math.max(3, iterations); i++) m.matmul(x, 0, batch, out, 0, parallel, invariant);
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) m.matmul(x, 0, batch, out, 0, parallel, invariant);
        double s = (System.nanoTime() - t0) / 1e9 / iterations;
        double bytes = (double) m.rowBytes() * m.rows();
        double flops = 2.0 * m.rows() * m.cols() * batch;
        return new Result(m.type(), m.rows(), m.cols(), batch, parallel.threads(), s, bytes / s / 1e9, flops / s / 1e9);
    }

    /**
     * Memory read bandwidth: the best of {@code passes} vectorized sums over the whole segment (e.g. a mapped file
     * larger than the caches), the threads of {@code parallel} each reading a contiguous part. Returns GB/s.
     */
    public static double readBandwidthGBps(MemorySegment seg, int passes, Parallel parallel) {
        long chunk = 1L << 20;
        int chunks = (int) (seg.byteSize() / chunk);
        if (chunks == 0) throw new IllegalArgumentException("segment smaller than 1 MiB");
        double[] sink = new double[chunks];
        // Untimed warm-up passes, so that the timed ones run the sum as C2 compiled it.
        for (int pass = 0; pass < 3; pass++) {
            parallel.forRange(chunks, 1, (s, e) -> {
                for (int c = s; c < e; c++) sink[c] += sumChunk(seg, c * chunk, chunk);
            });
        }
        double best = 0;
        for (int pass = 0; pass < passes; pass++) {
            long t0 = System.nanoTime();
            parallel.forRange(chunks, 1, (s, e) -> {
                for (int c = s; c < e; c++) sink[c] = sumChunk(seg, c * chunk, chunk);
            });
            double s = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, chunks * (double) chunk / s / 1e9);
        }
        double total = 0;
        for (double v : sink) total += v;
        blackhole = total; // keeps the sums observable, so the JIT cannot drop the reads
        return best;
    }

    private static double sumChunk(MemorySegment seg, long off, long len) {
        var f = Vectors.F;
        jdk.incubator.vector.FloatVector a0 = jdk.incubator.vector.FloatVector.zero(f), a1 = a0, a2 = a0, a3 = a0;
        long step = f.vectorByteSize();
        for (long p = off; p + 4 * step <= off + len; p += 4 * step) {
            a0 = a0.add(jdk.incubator.vector.FloatVector.fromMemorySegment(f, seg, p, java.nio.ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(jdk.incubator.vector.FloatVector.fromMemorySegment(f, seg, p + step, java.nio.ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(jdk.incubator.vector.FloatVector.fromMemorySegment(f, seg, p + 2 * step, java.nio.ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(jdk.incubator.vector.FloatVector.fromMemorySegment(f, seg, p + 3 * step, java.nio.ByteOrder.LITTLE_ENDIAN));
        }
        return Vectors.sum(a0.add(a1).add(a2.add(a3)));
    }

    /** Peak FMA throughput: 12 independent vector FMA chains per thread, {@code iterations} steps. Returns GFLOP/s. */
    public static double fmaPeakGflops(Parallel parallel, int iterations) {
        int threads = parallel.threads();
        float[] sink = new float[threads];
        double best = 0;
        for (int pass = 0; pass < 3; pass++) {
            long t0 = System.nanoTime();
            parallel.forRange(threads, 1, (s, e) -> {
                for (int t = s; t < e; t++) sink[t] = fmaChains(iterations);
            });
            double secs = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, 2.0 * 12 * Vectors.F.length() * (double) iterations * threads / secs / 1e9);
        }
        return best;
    }

    private static float fmaChains(int iterations) {
        var f = Vectors.F;
        var m = jdk.incubator.vector.FloatVector.broadcast(f, 0.999999f);
        var c = jdk.incubator.vector.FloatVector.broadcast(f, 1e-7f);
        var a0 = jdk.incubator.vector.FloatVector.broadcast(f, 1f);
        var a1 = a0.add(1f); var a2 = a0.add(2f); var a3 = a0.add(3f); var a4 = a0.add(4f); var a5 = a0.add(5f);
        var a6 = a0.add(6f); var a7 = a0.add(7f); var a8 = a0.add(8f); var a9 = a0.add(9f); var a10 = a0.add(10f); var a11 = a0.add(11f);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c); a1 = a1.fma(m, c); a2 = a2.fma(m, c); a3 = a3.fma(m, c);
            a4 = a4.fma(m, c); a5 = a5.fma(m, c); a6 = a6.fma(m, c); a7 = a7.fma(m, c);
            a8 = a8.fma(m, c); a9 = a9.fma(m, c); a10 = a10.fma(m, c); a11 = a11.fma(m, c);
        }
        return Vectors.sum(a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11));
    }

    public static void main(String[] args) {
        if (args.length == 2 && args[0].equals("probes")) {
            int threads = Integer.parseInt(args[1]);
            try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
                // In the memory the repacked weights live in (huge pages where the kernel grants them).
                MemorySegment big = AnonymousMemory.allocate(1L << 30, arena);
                big.fill((byte) 1);
                System.out.printf(Locale.ROOT, "species %s, %d threads: read bandwidth %.2f GB/s (1 GiB, best of 5), FMA peak %.1f GFLOP/s%n",
                        Vectors.F, threads, readBandwidthGBps(big, 5, p), fmaPeakGflops(p, 20_000_000));
            }
            return;
        }
        if (args.length < 5) {
            System.err.println("usage: KernelBench TYPE ROWS COLS BATCH[i] THREADS [ITERATIONS]   (BATCHi: the batch-invariant product)   or   KernelBench probes THREADS");
            System.exit(2);
        }
        GgmlType type = GgmlType.valueOf(args[0].toUpperCase(Locale.ROOT));
        int rows = Integer.parseInt(args[1]), cols = Integer.parseInt(args[2]);
        boolean invariant = args[3].endsWith("i");
        int batch = Integer.parseInt(invariant ? args[3].substring(0, args[3].length() - 1) : args[3]);
        int threads = Integer.parseInt(args[4]);
        int iterations = args.length > 5 ? Integer.parseInt(args[5]) : 20;
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Matrix m = randomMatrix(type, rows, cols, 42, arena);
            System.out.println("species " + Vectors.F + ": " + run(m, batch, p, iterations, invariant) + (invariant ? " (batch-invariant)" : ""));
        }
    }
}
