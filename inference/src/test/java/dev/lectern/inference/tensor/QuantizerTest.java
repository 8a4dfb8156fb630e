package dev.lectern.inference.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Our quantizers reproduce ggml's {@code W.t} from quant-zoo's {@code src} byte for byte. */
class QuantizerTest {

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "MXFP4"})
    void matchesGgmlReferenceQuantization(GgmlType t) {
        float[] src = QuantZooTest.ZOO.tensor("src").toFloatArray();
        MemorySegment ours = Quantizer.quantize(t, src);
        byte[] ggml = QuantZooTest.ZOO.tensor("W." + t.ggmlName()).data().toArray(ValueLayout.JAVA_BYTE);
        assertArrayEquals(ggml, ours.toArray(ValueLayout.JAVA_BYTE), t.toString());
    }
}
