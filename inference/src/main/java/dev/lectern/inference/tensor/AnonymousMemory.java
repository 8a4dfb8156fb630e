package dev.lectern.inference.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.util.Locale;

/**
 * Large native buffers that the engine derives from a model (repacked weights), freed when the garbage collector
 * finds their owner unreachable.
 *
 * <p>Why not {@code Arena.ofAuto().allocate}: the JDK counts such segments against {@code -XX:MaxDirectMemorySize}
 * (by default the heap limit), so repacking a 7B model's weights would fail with "Cannot reserve ... bytes of
 * direct buffer memory" on a JVM with the default heap. On Linux the buffer is therefore mapped with
 * {@code mmap(MAP_PRIVATE | MAP_ANONYMOUS)} through an FFM downcall, outside that limit, and advised for
 * transparent huge pages ({@code MADV_HUGEPAGE}), which spares the kernels a TLB miss every 4 KiB of a stream of
 * weights. Elsewhere, or without native access, it falls back to the arena.
 *
 * <p>The mapped segment has the global scope, so that reading it costs no liveness check (with an automatic
 * arena's segment, a batch-of-8 kernel ran 30 % slower); it is unmapped by a {@link Cleaner} once its owner, the
 * only holder of the segment, is unreachable. Owners keep themselves reachable while they read it
 * ({@link java.lang.ref.Reference#reachabilityFence}).
 */
final class AnonymousMemory {

    private static final int PROT_READ = 1, PROT_WRITE = 2, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20, MADV_HUGEPAGE = 14;

    private static final MethodHandle MMAP, MUNMAP, MADVISE;

    static {
        MethodHandle mmap = null, munmap = null, madvise = null;
        try {
            boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
            if (linux && AnonymousMemory.class.getModule().isNativeAccessEnabled()) {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                mmap = libc.find("mmap").map(f -> linker.downcallHandle(f, FunctionDescriptor.of(ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG))).orElse(null);
                munmap = libc.find("munmap").map(f -> linker.downcallHandle(f, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG))).orElse(null);
                madvise = libc.find("madvise").map(f -> linker.downcallHandle(f, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT))).orElse(null);
            }
        } catch (RuntimeException | LinkageError e) {
            mmap = null;
        }
        boolean complete = mmap != null && munmap != null && madvise != null;
        MMAP = complete ? mmap : null;
        MUNMAP = complete ? munmap : null;
        MADVISE = complete ? madvise : null;
    }

    private AnonymousMemory() {}

    private static final Cleaner CLEANER = Cleaner.create();

    /**
     * A zero-filled native buffer of {@code bytes} bytes starting on (at least) a 64-byte boundary, freed once
     * {@code owner} is unreachable; only the owner may hold it.
     */
    static MemorySegment allocate(long bytes, Object owner) {
        if (MMAP != null && bytes > 0) {
            try {
                MemorySegment at = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, bytes, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
                if (at.address() != -1L) {
                    int ignored = (int) MADVISE.invokeExact(at, bytes, MADV_HUGEPAGE); // advice only: a refusal changes nothing
                    MemorySegment mapped = at.reinterpret(bytes);
                    long address = at.address();
                    CLEANER.register(owner, () -> unmap(address, bytes));
                    return mapped;
                }
            } catch (Throwable t) {
                // fall through to the arena
            }
        }
        return Arena.ofAuto().allocate(Math.max(1, bytes), 64);
    }

    private static void unmap(long address, long bytes) {
        try {
            int ignored = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(address), bytes);
        } catch (Throwable t) {
            // nothing to do at this point: the mapping goes with the process
        }
    }
}
