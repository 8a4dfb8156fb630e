package dev.lectern.bench.probe;

import dev.lectern.inference.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused multiply-add peak this JVM reaches with the Vector API: twelve independent chains of FMAs per thread in the
 * platform's preferred vector width, the one the engine's kernels use (two FMA pipes of latency 4, as on Zen 3 to
 * Zen 5, are saturated by eight chains in flight; twelve leave margin), no memory traffic. The ceiling for a prefill, whose matmuls are compute-bound. Each chain converges to a
 * finite fixed point, so no denormal or overflow ever slows it.
 */
public final class FmaPeakProbe {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;

    private final int iterations;
    private final float[] partials = new float[64];
    private volatile float sink;

    /** @param iterations loop iterations per thread per pass (each does {@value #CHAINS} vector FMAs) */
    public FmaPeakProbe(int iterations) {
        this.iterations = iterations;
    }

    /** One pass: every thread runs the loop; returns GFLOP/s summed over threads (an FMA counts 2 FLOP per lane). */
    public double pass(Parallel parallel) {
        int parts = parallel.threads();
        long start = System.nanoTime();
        parallel.forRange(parts, 1, (s, e) -> {
            for (int p = s; p < e; p++) partials[p] = chains(iterations, 1f + p);
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        float total = 0;
        for (int p = 0; p < parts; p++) total += partials[p];
        sink = total;
        double flop = (double) iterations * CHAINS * S.length() * 2 * parts;
        return flop / seconds / 1e9;
    }

    static float chains(int iterations, float seed) {
        FloatVector m = FloatVector.broadcast(S, 0.999f);
        FloatVector c = FloatVector.broadcast(S, 0.001f);
        FloatVector a0 = FloatVector.broadcast(S, seed);
        FloatVector a1 = FloatVector.broadcast(S, seed + 1);
        FloatVector a2 = FloatVector.broadcast(S, seed + 2);
        FloatVector a3 = FloatVector.broadcast(S, seed + 3);
        FloatVector a4 = FloatVector.broadcast(S, seed + 4);
        FloatVector a5 = FloatVector.broadcast(S, seed + 5);
        FloatVector a6 = FloatVector.broadcast(S, seed + 6);
        FloatVector a7 = FloatVector.broadcast(S, seed + 7);
        FloatVector a8 = FloatVector.broadcast(S, seed + 8);
        FloatVector a9 = FloatVector.broadcast(S, seed + 9);
        FloatVector a10 = FloatVector.broadcast(S, seed + 10);
        FloatVector a11 = FloatVector.broadcast(S, seed + 11);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    float sink() {
        return sink;
    }
}
