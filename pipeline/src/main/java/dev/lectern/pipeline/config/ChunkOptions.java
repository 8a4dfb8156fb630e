package dev.lectern.pipeline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;

import java.io.Serializable;
import java.util.Locale;

/**
 * How a long document is cut into pieces a model can take.
 *
 * @param size    the largest chunk, in {@code unit}s
 * @param overlap how much of the end of one chunk starts the next, in {@code unit}s (smaller than size)
 * @param unit    {@code characters}, or {@code tokens} of the job's model
 */
@JsonPropertyOrder({"size", "overlap", "unit"})
public record ChunkOptions(
        @JsonProperty("size") Integer size,
        @JsonProperty("overlap") Integer overlap,
        @JsonProperty("unit") Unit unit) implements Serializable {

    public enum Unit {
        CHARACTERS, TOKENS;

        @JsonValue
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ChunkOptions {
        unit = unit == null ? Unit.CHARACTERS : unit;
        size = size == null ? (unit == Unit.TOKENS ? 512 : 2000) : size;
        overlap = overlap == null ? size / 10 : overlap;
    }

    public static ChunkOptions defaults() {
        return new ChunkOptions(null, null, null);
    }
}
