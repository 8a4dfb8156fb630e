package dev.lectern.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the reader of a benchmark table needs to know about where it ran. */
public final class Machine {
    private Machine() {}

    /** The CPU model name, family and model from /proc/cpuinfo (a VM may hide the name), or "unknown". */
    public static String cpu() {
        String name = null, family = null, model = null;
        boolean avx512 = false;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                String value = line.substring(line.indexOf(':') + 1).trim();
                if (name == null && line.startsWith("model name")) name = value;
                else if (family == null && line.startsWith("cpu family")) family = value;
                else if (model == null && line.matches("model\\s*:.*")) model = value;
                else if (line.startsWith("flags")) avx512 |= line.contains(" avx512f");
                if (line.isEmpty() && name != null) break;
            }
        } catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
        return name + " (family " + family + ", model " + model + (avx512 ? ", AVX-512" : ", no AVX-512") + ")";
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
        return cpu() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, preferred vector "
                + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit, JDK " + Runtime.version()
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB";
    }
}
