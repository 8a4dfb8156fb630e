package dev.lectern.pipeline.output;

import java.util.Comparator;

/**
 * The order of records in a results file: input file paths compared by Unicode code point (the same as their
 * UTF-8 bytes), independent of locale and platform.
 */
public final class PathOrder {

    public static final Comparator<String> COMPARATOR = PathOrder::compare;

    private PathOrder() {
    }

    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
