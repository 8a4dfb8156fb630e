package dev.lectern.pipeline.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions of what made a run, for the manifest. */
@JsonPropertyOrder({"lectern", "beam", "tika", "jdk"})
public record Versions(String lectern, String beam, String tika, String jdk) {

    public static Versions current() {
        return new Versions(lecternVersion(), org.apache.beam.sdk.util.ReleaseInfo.getReleaseInfo().getVersion(),
                packageVersion(org.apache.tika.Tika.class), Runtime.version().toString());
    }

    public static String lecternVersion() {
        try (InputStream in = Versions.class.getResourceAsStream("/dev/lectern/pipeline/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String packageVersion(Class<?> type) {
        String version = type.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }
}
