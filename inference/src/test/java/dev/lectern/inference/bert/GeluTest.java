package dev.lectern.inference.bert;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeluTest {
    private static double exact(double x) {
        return 0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0)));
    }

    @Test
    void matchesTheDoublePrecisionDefinition() {
        float[] values = new float[20_001];
        for (int i = 0; i < values.length; i++) values[i] = -10f + i * 0.001f;
        float[] out = values.clone();
        Gelu.applyInPlace(out, 0, out.length);
        double worst = 0;
        for (int i = 0; i < values.length; i++) {
            double error = Math.abs(out[i] - exact(values[i]));
            worst = Math.max(worst, error / Math.max(1.0, Math.abs(values[i])));
        }
        assertTrue(worst < 3e-7, "worst scaled error " + worst);
        assertEquals(0f, Gelu.apply(0f));
        assertEquals(0f, Gelu.apply(-30f), 0f);
        assertEquals(30f, Gelu.apply(30f));
        assertTrue(Float.isNaN(Gelu.apply(Float.NaN)));
    }

    @Test
    void aValueDoesNotDependOnItsPositionInTheRow() {
        float[] row = new float[37];
        for (int i = 0; i < row.length; i++) row[i] = (i - 18) * 0.37f;
        float[] whole = row.clone();
        Gelu.applyInPlace(whole, 0, whole.length);
        for (int i = 0; i < row.length; i++) {
            assertEquals(whole[i], Gelu.apply(row[i]), "value " + i);
        }
        float[] shifted = row.clone();
        Gelu.applyInPlace(shifted, 3, 30);
        for (int i = 3; i < 30; i++) assertEquals(whole[i], shifted[i], "shifted value " + i);
        assertEquals(row[0], shifted[0]);
        assertEquals(row[36], shifted[36]);
    }
}
