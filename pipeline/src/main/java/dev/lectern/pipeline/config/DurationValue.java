package dev.lectern.pipeline.config;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A duration, written in a job file as {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or a number of seconds. */
@JsonDeserialize(using = DurationValue.Reader.class)
public record DurationValue(long millis) implements Serializable {

    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

    public static DurationValue of(Duration duration) {
        return new DurationValue(duration.toMillis());
    }

    /** Null if malformed. */
    public static DurationValue parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        return new DurationValue(switch (unit) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
        });
    }

    public Duration duration() {
        return Duration.ofMillis(millis);
    }

    @JsonValue
    public String text() {
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }

    static final class Reader extends JsonDeserializer<DurationValue> {
        @Override
        public DurationValue deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return new DurationValue(p.getLongValue() * 1000);
            }
            String text = p.getValueAsString();
            DurationValue value = text == null ? null : parse(text);
            if (value == null) {
                throw InvalidFormatException.from(p, "expected a duration such as 30s, 500ms, 2m or 1h",
                        p.getText(), DurationValue.class);
            }
            return value;
        }
    }
}
