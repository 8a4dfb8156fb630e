package dev.lectern.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The figures of the measured runs of one benchmark (one value per run, e.g. tokens/s): the median is what tables
 * report, min and max show the spread, which on a shared machine says more than a standard deviation would.
 */
public record Stats(double[] values) {

    public Stats {
        if (values.length == 0) throw new IllegalArgumentException("no measured runs");
        values = values.clone();
        Arrays.sort(values);
    }

    public int runs() {
        return values.length;
    }

    public double median() {
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    public double min() {
        return values[0];
    }

    public double max() {
        return values[values.length - 1];
    }

    /** {@code 12.3 (11.9–12.8)}: median with the range of the runs. */
    public String format(int decimals) {
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " (" + f + "–" + f + ")", median(), min(), max());
    }
}
