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
 * <p>Arguments: type (one of {@link Quantizer#supportedTypes()}), rows, cols, batch, threads, and optionally the
 * number of timed iterations. The weights are random Gaussian values quantized with {@link Quantizer}, in native
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
        float[] x = new float[batch * m.cols()];
        Random rnd = new Random(1);
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        float[] out = new float[batch * m.rows()];
        for (int i = 0; i < Math.max(3, iterations); i++) m.matmul(x, 0, batch, out, 0, parallel);
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) m.matmul(x, 0, batch, out, 0, parallel);
        double s = (System.nanoTime() - t0) / 1e9 / iterations;
        double bytes = (double) m.rowBytes() * m.rows();
        double flops = 2.0 * m.rows() * m.cols() * batch;
        return new Result(m.type(), m.rows(), m.cols(), batch, parallel.threads(), s, bytes / s / 1e9, flops / s / 1e9);
    }

    public static void main(String[] args) {
        if (args.length < 5) {
            System.err.println("usage: KernelBench TYPE ROWS COLS BATCH THREADS [ITERATIONS]");
            System.exit(2);
        }
        GgmlType type = GgmlType.valueOf(args[0].toUpperCase(Locale.ROOT));
        int rows = Integer.parseInt(args[1]), cols = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]), threads = Integer.parseInt(args[4]);
        int iterations = args.length > 5 ? Integer.parseInt(args[5]) : 20;
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            Matrix m = randomMatrix(type, rows, cols, 42, arena);
            System.out.println("species " + Vectors.F + ": " + run(m, batch, p, iterations));
        }
    }
}
