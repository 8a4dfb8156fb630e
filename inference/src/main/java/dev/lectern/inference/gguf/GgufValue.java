package dev.lectern.inference.gguf;

import java.lang.reflect.Array;
import java.util.Objects;

/**
 * One metadata value as read from (or to be written to) a GGUF file.
 *
 * <p>Scalars are held boxed: every integer type as a {@link Long} (unsigned types are zero-extended; a UINT64
 * above 2^63-1 wraps to a negative long), FLOAT32 as {@link Float}, FLOAT64 as {@link Double}, BOOL as
 * {@link Boolean}, STRING as {@link String}. Arrays hold a Java array matching {@link #elementType()}:
 * {@code long[]} for every integer type, {@code float[]}, {@code double[]}, {@code boolean[]}, {@code String[]},
 * or {@code GgufValue[]} for arrays of arrays.
 *
 * @param type        the value's type
 * @param elementType the element type when {@code type} is ARRAY, else {@code null}
 * @param value       the value, as described above
 */
public record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {

    public GgufValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if ((type == GgufValueType.ARRAY) != (elementType != null)) {
            throw new IllegalArgumentException("elementType must be set exactly for ARRAY values");
        }
    }

    public static GgufValue scalar(GgufValueType type, Object value) {
        return new GgufValue(type, null, value);
    }

    public static GgufValue array(GgufValueType elementType, Object javaArray) {
        return new GgufValue(GgufValueType.ARRAY, elementType, javaArray);
    }

    /** Number of elements of an array value. */
    public int length() {
        if (type != GgufValueType.ARRAY) throw new IllegalStateException("not an array: " + type);
        return Array.getLength(value);
    }

    /** A short description for error messages, e.g. {@code uint32} or {@code array of string}. */
    public String describeType() {
        return type == GgufValueType.ARRAY ? "array of " + elementType : type.toString();
    }
}
