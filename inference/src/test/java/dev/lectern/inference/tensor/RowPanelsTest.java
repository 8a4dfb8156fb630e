package dev.lectern.inference.tensor;

import jdk.incubator.vector.IntVector;
import org.junit.jupiter.api.Test;

import static dev.lectern.inference.tensor.Vectors.F;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The panels' scale conversion ({@link RowPanels#halvesToFloats}) equals {@link Float#float16ToFloat} bit for bit
 * for every half-precision value: zeros, subnormals, normals, infinities, NaNs with their payloads. Runs under
 * every vector width the build tests.
 */
class RowPanelsTest {

    @Test
    void everyHalfConvertsAsFloat16ToFloatDoes() {
        int lanes = F.length();
        int[] halves = new int[lanes];
        float[] out = new float[lanes];
        for (int first = 0; first < 65536; first += lanes) {
            for (int j = 0; j < lanes; j++) halves[j] = first + j;
            RowPanels.halvesToFloats(IntVector.fromArray(F.withLanes(int.class), halves, 0)).intoArray(out, 0);
            for (int j = 0; j < lanes; j++) {
                short half = (short) halves[j];
                assertEquals(Float.floatToRawIntBits(Float.float16ToFloat(half)), Float.floatToRawIntBits(out[j]),
                        "half 0x" + Integer.toHexString(halves[j]));
            }
        }
    }
}
