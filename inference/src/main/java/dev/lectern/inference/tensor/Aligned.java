package dev.lectern.inference.tensor;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Where a heap float array's elements are 64-byte aligned.
 *
 * <p>Why: a 512-bit vector load from an address that is not a multiple of 64 spans two cache lines and costs two
 * loads. Kernels that are bound by loads from L1 (several activation vectors per converted weight vector) run about
 * 1.6 times faster on aligned activations (a 1 × 8 Q8_0 tile: 115 vs 189 GFLOP/s on one core), and which of the two a
 * JVM got depended on where its allocator happened to put the buffer. Java does not expose an array's address, so
 * it is asked of the C library: {@code memmove(a, a, 0)} returns its first argument, and a critical downcall passes
 * a heap array by its address (the garbage collector waits for the call). Arrays can move at a collection, so callers
 * ask again for every product (a few tens of nanoseconds) rather than caching the answer.
 *
 * <p>Without native access (no {@code --enable-native-access}) this answers 0: the results are the same, only slower.
 */
final class Aligned {

    /** Floats per 64 bytes. */
    static final int SLACK = 16;

    private static final MethodHandle MEMMOVE = memmove();

    private Aligned() {}

    private static MethodHandle memmove() {
        try {
            Linker linker = Linker.nativeLinker();
            if (!Aligned.class.getModule().isNativeAccessEnabled()) return null;
            return linker.defaultLookup().find("memmove")
                    .map(f -> linker.downcallHandle(f,
                            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                            Linker.Option.critical(true)))
                    .orElse(null);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * The first index {@code i < 16} at which {@code a[i]} starts a 64-byte line at this moment (0 if unknown); a
     * buffer meant to be read from there needs {@link #SLACK} floats more than its payload.
     */
    static int firstAlignedIndex(float[] a) {
        if (MEMMOVE == null) return 0;
        try {
            MemorySegment seg = MemorySegment.ofArray(a);
            long address = ((MemorySegment) MEMMOVE.invokeExact(seg, seg, 0L)).address();
            return (int) ((64 - (address & 63)) & 63) / Float.BYTES;
        } catch (Throwable t) {
            return 0;
        }
    }
}
