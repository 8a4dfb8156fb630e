package dev.lectern.pipeline.cli;

/**
 * Library logging (Beam, Flink, Tika through slf4j-simple): warnings only unless {@code --verbose}, so that a
 * normal run shows the progress and the summary, not framework chatter. Must run before any logger exists.
 */
final class Logs {

    private Logs() {
    }

    static void configure(boolean verbose) {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "error");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showLogName", verbose ? "true" : "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
