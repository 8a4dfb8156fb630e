package dev.lectern.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the reader of a benchmark table needs to know about where it ran. */
public final class Machine {
    private Machine() {}

    /** The CPU model name from /proc/cpuinfo, or "unknown". */
    public static String cpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return "unknown";
    }

    /** The 1/5/15-minute load averages from /proc/loadavg, e.g. "6.68 4.23 1.92", or "unknown". */
    public static String loadAverage() {
        try {
            List<String> parts = List.of(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+"));
            return String.join(" ", parts.subList(0, 3));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    public static String summary() {
        return cpu() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, JDK " + Runtime.version()
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB";
    }
}
