package dev.lectern.bench.probe;

import dev.lectern.inference.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * How fast this JVM can stream a memory-mapped file through vector registers: the ceiling for a decode step,
 * which reads every weight once. A vectorized sum (4 independent accumulators) over a file
 * much larger than the last-level cache, in the platform's preferred vector width (the engine's kernels use
 * the same), split into one contiguous part per thread, like the engine's matmuls
 * split their rows. The file holds floats in [0.5, 1) so no denormal or NaN slows the adds.
 */
public final class ReadBandwidthProbe implements AutoCloseable {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Bytes per vector and per loop iteration (4 vectors). */
    private static final int VBYTES = S.vectorByteSize();
    private static final int STEP = 4 * VBYTES;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment mapped;
    private final float[] partials = new float[64];
    private volatile float sink;

    /** Maps {@code file} (written first if absent or of another size) of {@code bytes} bytes. */
    public ReadBandwidthProbe(Path file, long bytes) throws IOException {
        if (bytes % STEP != 0 || bytes <= 0) throw new IllegalArgumentException("probe size must be a positive multiple of " + STEP);
        if (!Files.exists(file) || Files.size(file) != bytes) write(file, bytes);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, bytes, arena);
        }
    }

    public long bytes() {
        return mapped.byteSize();
    }

    /** One pass over the whole file on {@code parallel}'s threads; returns GB/s (10^9 bytes per second). */
    public double pass(Parallel parallel) {
        int parts = parallel.threads();
        long steps = mapped.byteSize() / STEP;
        // Untimed: bring back any page the kernel evicted since the last pass. Hosts that run proactive reclaim
        // (DAMON's pageout scheme) drop cold file pages between passes, and a pass that faulted them in from disk
        // read 8 GB/s where a resident one reads 26.
        mapped.load();
        long start = System.nanoTime();
        parallel.forRange(parts, 1, (s, e) -> {
            for (int p = s; p < e; p++) {
                long from = steps * p / parts * STEP;
                long to = steps * (p + 1) / parts * STEP;
                partials[p] = sum(mapped, from, to);
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        float total = 0;
        for (int p = 0; p < parts; p++) total += partials[p];
        sink = total;
        return mapped.byteSize() / seconds / 1e9;
    }

    static float sum(MemorySegment seg, long from, long to) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        for (long o = from; o < to; o += STEP) {
            a0 = a0.add(FloatVector.fromMemorySegment(S, seg, o, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(FloatVector.fromMemorySegment(S, seg, o + VBYTES, ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(FloatVector.fromMemorySegment(S, seg, o + 2 * VBYTES, ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(FloatVector.fromMemorySegment(S, seg, o + 3 * VBYTES, ByteOrder.LITTLE_ENDIAN));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }

    private static void write(Path file, long bytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        ByteBuffer chunk = ByteBuffer.allocateDirect(4 << 20).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom random = new SplittableRandom(42);
        while (chunk.hasRemaining()) chunk.putFloat(0.5f + 0.5f * (float) random.nextDouble());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            long left = bytes;
            while (left > 0) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), left));
                while (chunk.hasRemaining()) left -= ch.write(chunk);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        arena.close();
    }

    float sink() {
        return sink;
    }
}
