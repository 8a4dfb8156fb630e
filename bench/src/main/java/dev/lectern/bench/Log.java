package dev.lectern.bench;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Progress lines for the human watching (stderr); the report itself goes to stdout. */
public final class Log {
    private Log() {}

    public static void info(String format, Object... args) {
        System.err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + String.format(Locale.ROOT, format, args));
    }
}
