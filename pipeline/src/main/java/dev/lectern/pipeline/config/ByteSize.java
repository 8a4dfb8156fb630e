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
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A size in bytes, written in a job file as a number of bytes or with a unit: {@code 50MB}, {@code 512 KiB}. */
@JsonDeserialize(using = ByteSize.Reader.class)
public record ByteSize(long bytes) implements Serializable {

    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?i?b?)", Pattern.CASE_INSENSITIVE);

    public static ByteSize ofBytes(long bytes) {
        return new ByteSize(bytes);
    }

    /** Parses {@code 123}, {@code 10KB}, {@code 1.5 MiB}; KB and KiB both mean 1024 bytes. Null if malformed. */
    public static ByteSize parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        int power = unit.isEmpty() || unit.equals("b") ? 0 : "kmgt".indexOf(unit.charAt(0)) + 1;
        if (!unit.isEmpty() && !unit.equals("b") && unit.length() > 1 && !unit.endsWith("b")) {
            return null;
        }
        double value = Double.parseDouble(m.group(1)) * Math.pow(1024, power);
        return value > Long.MAX_VALUE ? null : new ByteSize((long) value);
    }

    @JsonValue
    public long bytes() {
        return bytes;
    }

    static final class Reader extends JsonDeserializer<ByteSize> {
        @Override
        public ByteSize deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return new ByteSize(p.getLongValue());
            }
            String text = p.getValueAsString();
            ByteSize size = text == null ? null : parse(text);
            if (size == null) {
                throw InvalidFormatException.from(p, "expected a size such as 50MB, 512KiB or a number of bytes",
                        p.getText(), ByteSize.class);
            }
            return size;
        }
    }
}
