package dev.lectern.inference.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species the kernels use, and the deterministic reduction they all end with.
 *
 * <p>The species is the platform's preferred one (256-bit on AVX2) unless the system property
 * {@code lectern.vector.bits} (64, 128, 256 or 512) says otherwise; the tests use that to check the kernels with
 * every shape. Kernels must be correct for any lane count.
 */
final class Vectors {

    static final VectorShape SHAPE = shape();
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.withShape(SHAPE);
    static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED.withShape(SHAPE);

    private Vectors() {}

    private static VectorShape shape() {
        String bits = System.getProperty("lectern.vector.bits");
        if (bits == null || bits.isBlank()) return VectorShape.preferredShape();
        return VectorShape.forBitSize(Integer.parseInt(bits.trim()));
    }

    /**
     * The sum of the lanes by a fixed pairwise tree (lane i + lane i+n/2, ...). {@code reduceLanes(ADD)} is not
     * used because its order differs between the interpreter and compiled code, which would make results depend
     * on JIT timing, and so on the thread that happened to compute them.
     */
    static float sum(FloatVector v) {
        for (int w = v.length() / 2; w > 0; w /= 2) v = v.add(v.slice(w));
        return v.lane(0);
    }
}
