package dev.lectern.inference.bert;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ErfTest {

    @Test
    void matchesKnownValues() {
        // erf values to 16 digits (Abramowitz & Stegun table 7.1, extended with high-precision arithmetic)
        assertEquals(0.0, Erf.erf(0.0), 0.0);
        assertEquals(0.1124629160182849, Erf.erf(0.1), 1e-11);
        assertEquals(0.5204998778130465, Erf.erf(0.5), 1e-11);
        assertEquals(0.8427007929497149, Erf.erf(1.0), 1e-11);
        assertEquals(0.9953222650189527, Erf.erf(2.0), 1e-11);
        assertEquals(0.9999779095030014, Erf.erf(3.0), 1e-11);
        assertEquals(-0.8427007929497149, Erf.erf(-1.0), 1e-11);
        assertEquals(1.0, Erf.erf(7.5), 0.0);
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY), 0.0);
        assertEquals(Double.NaN, Erf.erf(Double.NaN));
    }

    @Test
    void theTableAgreesWithTheSeriesEverywhere() {
        double worst = 0;
        for (double x = -6.5; x <= 6.5; x += 0.000731) {
            worst = Math.max(worst, Math.abs(Erf.erf(x) - Math.copySign(Erf.seriesErf(Math.abs(x)), x)));
        }
        assertEquals(0.0, worst, 1e-11);
    }

    @Test
    void geluIsTheExactErfForm() {
        // Gelu evaluates erf in float (A&S 7.1.26, |error| < 1.5e-7): within two float ulps of x·Φ(x).
        assertEquals(0.0f, Gelu.apply(0f));
        assertEquals(0.8413447460685429f, Gelu.apply(1f), 2e-7f); // Φ(1)
        assertEquals(-0.15865525393145707f, Gelu.apply(-1f), 2e-7f);
        assertEquals(1.9544997361036416f, Gelu.apply(2f), 3e-7f);
        assertEquals(-0.0f, Gelu.apply(-40f));
    }
}
