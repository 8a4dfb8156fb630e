package dev.lectern.inference.gguf;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The key/value metadata of a GGUF file, with typed getters.
 *
 * <p>Every getter without a default fails with a {@link GgufFormatException} naming the file and the key when the
 * key is missing or holds a value of another kind. Integer getters accept any GGUF integer type whose value fits
 * (writers disagree on whether e.g. a context length is uint32, int32 or uint64); float getters accept FLOAT32 and
 * FLOAT64. Nothing converts between strings, numbers and booleans.
 */
public final class GgufMetadata {

    private final Path file;
    private final Map<String, GgufValue> values;

    GgufMetadata(Path file, Map<String, GgufValue> values) {
        this.file = file;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The keys in file order. */
    public Set<String> keys() {
        return values.keySet();
    }

    public boolean contains(String key) {
        return values.containsKey(key);
    }

    /** The raw value, or {@code null} when the key is absent. */
    public GgufValue get(String key) {
        return values.get(key);
    }

    /** All values in file order. */
    public Map<String, GgufValue> asMap() {
        return values;
    }

    public String getString(String key) {
        return (String) require(key, GgufValueType.STRING, "a string").value();
    }

    public String getString(String key, String defaultValue) {
        return contains(key) ? getString(key) : defaultValue;
    }

    public boolean getBoolean(String key) {
        return (Boolean) require(key, GgufValueType.BOOL, "a bool").value();
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return contains(key) ? getBoolean(key) : defaultValue;
    }

    /** Any integer type; fails if the value does not fit in an int. */
    public int getInt(String key) {
        long v = getLong(key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE || isHugeUnsigned(key)) {
            throw error(key, "value " + Long.toUnsignedString(v) + " does not fit in a 32-bit int");
        }
        return (int) v;
    }

    public int getInt(String key, int defaultValue) {
        return contains(key) ? getInt(key) : defaultValue;
    }

    /** Any integer type; a UINT64 above 2^63-1 is rejected. */
    public long getLong(String key) {
        GgufValue v = existing(key);
        if (!v.type().isInteger()) throw wrongType(key, v, "an integer");
        if (isHugeUnsigned(key)) {
            throw error(key, "value " + Long.toUnsignedString((Long) v.value()) + " does not fit in a signed 64-bit long");
        }
        return (Long) v.value();
    }

    public long getLong(String key, long defaultValue) {
        return contains(key) ? getLong(key) : defaultValue;
    }

    /** FLOAT32 or FLOAT64 (narrowed to float). */
    public float getFloat(String key) {
        GgufValue v = existing(key);
        return switch (v.type()) {
            case FLOAT32 -> (Float) v.value();
            case FLOAT64 -> (float) (double) (Double) v.value();
            default -> throw wrongType(key, v, "a float32 or float64");
        };
    }

    public float getFloat(String key, float defaultValue) {
        return contains(key) ? getFloat(key) : defaultValue;
    }

    public String[] getStringArray(String key) {
        return ((String[]) requireArray(key, GgufValueType.STRING, "an array of string").value()).clone();
    }

    /** An array of any integer type; fails if an element does not fit in an int. */
    public int[] getIntArray(String key) {
        GgufValue v = existing(key);
        if (v.type() != GgufValueType.ARRAY || !v.elementType().isInteger()) throw wrongType(key, v, "an array of integers");
        long[] src = (long[]) v.value();
        int[] out = new int[src.length];
        boolean unsigned64 = v.elementType() == GgufValueType.UINT64;
        for (int i = 0; i < src.length; i++) {
            if (src[i] < Integer.MIN_VALUE || src[i] > Integer.MAX_VALUE || (unsigned64 && src[i] < 0)) {
                throw error(key, "element " + i + " (" + src[i] + ") does not fit in a 32-bit int");
            }
            out[i] = (int) src[i];
        }
        return out;
    }

    /** An array of FLOAT32 or FLOAT64 (narrowed to float). */
    public float[] getFloatArray(String key) {
        GgufValue v = existing(key);
        if (v.type() == GgufValueType.ARRAY && v.elementType() == GgufValueType.FLOAT32) return ((float[]) v.value()).clone();
        if (v.type() == GgufValueType.ARRAY && v.elementType() == GgufValueType.FLOAT64) {
            double[] src = (double[]) v.value();
            float[] out = new float[src.length];
            for (int i = 0; i < src.length; i++) out[i] = (float) src[i];
            return out;
        }
        throw wrongType(key, v, "an array of float32 or float64");
    }

    /** Length of an array value of any element type. */
    public int getArrayLength(String key) {
        GgufValue v = existing(key);
        if (v.type() != GgufValueType.ARRAY) throw wrongType(key, v, "an array");
        return v.length();
    }

    private boolean isHugeUnsigned(String key) {
        GgufValue v = values.get(key);
        return v.type() == GgufValueType.UINT64 && (Long) v.value() < 0;
    }

    private GgufValue existing(String key) {
        GgufValue v = values.get(key);
        if (v == null) throw error(key, "missing metadata key");
        return v;
    }

    private GgufValue require(String key, GgufValueType type, String expected) {
        GgufValue v = existing(key);
        if (v.type() != type) throw wrongType(key, v, expected);
        return v;
    }

    private GgufValue requireArray(String key, GgufValueType elementType, String expected) {
        GgufValue v = existing(key);
        if (v.type() != GgufValueType.ARRAY || v.elementType() != elementType) throw wrongType(key, v, expected);
        return v;
    }

    private GgufFormatException wrongType(String key, GgufValue v, String expected) {
        return error(key, "has type " + v.describeType() + ", expected " + expected);
    }

    private GgufFormatException error(String key, String message) {
        return new GgufFormatException(file, "metadata key '" + key + "': " + message);
    }
}
