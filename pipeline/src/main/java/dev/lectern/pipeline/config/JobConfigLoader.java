package dev.lectern.pipeline.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a job file and turns every problem into one line that names the file, the line, the field and what was
 * expected. Parsing is strict: unknown fields, wrong types and missing required fields are errors.
 */
public final class JobConfigLoader {

    private static final Pattern MISSING_PROPERTY = Pattern.compile("Missing required creator property '([^']+)'");
    private static final List<String> TASK_TYPES = List.of(ExtractOptions.TYPE, SummarizeOptions.TYPE, ClassifyOptions.TYPE);

    private final ObjectMapper yaml = YAMLMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    /** Parses {@code file}; semantic checks are {@link JobValidator}'s. */
    public JobFile load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such job file");
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": not a UTF-8 text file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        return parse(text, file);
    }

    /** Parses job text; {@code source} only names it in messages and anchors relative paths. */
    public JobFile parse(String text, Path source) {
        LocationIndex locations = LocationIndex.of(text);
        if (text.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#") || l.equals("---"))) {
            throw new ConfigException(source + ": the job file is empty; it needs at least input, task and output");
        }
        JobConfig config;
        try {
            config = yaml.readValue(text, JobConfig.class);
        } catch (JsonMappingException e) {
            throw new ConfigException(source + describe(e, locations));
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + at(e.getLocation()) + ": not valid YAML: " + firstLine(e.getOriginalMessage()));
        }
        if (config == null) {
            throw new ConfigException(source + ": the job file is empty; it needs at least input, task and output");
        }
        return new JobFile(config, source, locations);
    }

    private static String describe(JsonMappingException e, LocationIndex locations) {
        String field = fieldPath(e.getPath());
        String where = at(e.getLocation());
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof com.fasterxml.jackson.core.exc.StreamReadException syntax) {
                return at(syntax.getLocation()) + ": not valid YAML: " + firstLine(syntax.getOriginalMessage());
            }
        }
        if (e instanceof UnrecognizedPropertyException u) {
            int line = locations.exactLineOf(field);
            where = line > 0 ? ", line " + line : where;
            String section = field.contains(".") ? field.substring(0, field.lastIndexOf('.')) : "";
            List<String> known = u.getKnownPropertyIds() == null ? List.of()
                    : u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            String suggestion = closest(u.getPropertyName(), known);
            return where + ": unknown field '" + u.getPropertyName() + "'" + (section.isEmpty() ? "" : " in " + section)
                    + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?")
                    + (known.isEmpty() ? "" : " (known fields: " + String.join(", ", known) + ")");
        }
        if (e instanceof InvalidTypeIdException t) {
            String typeField = (field.isEmpty() ? "task" : field) + ".type";
            if (t.getTypeId() == null) {
                return lineOf(locations, field.isEmpty() ? "task" : field) + ": " + typeField + " is missing; expected one of " + String.join(", ", TASK_TYPES);
            }
            String suggestion = closest(t.getTypeId(), TASK_TYPES);
            return where + ": " + typeField + ": unknown task '" + t.getTypeId() + "'"
                    + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?")
                    + " (expected one of " + String.join(", ", TASK_TYPES) + ")";
        }
        if (e instanceof InvalidFormatException f) {
            return where + ": " + field + ": expected " + expectation(f.getTargetType(), f.getOriginalMessage())
                    + ", got '" + f.getValue() + "'";
        }
        if (e instanceof MismatchedInputException m) {
            Matcher missing = MISSING_PROPERTY.matcher(m.getOriginalMessage());
            if (missing.find()) {
                String name = missing.group(1);
                String full = field.equals(name) || field.endsWith("." + name) ? field
                        : field.isEmpty() ? name : field + "." + name;
                String parent = full.contains(".") ? full.substring(0, full.lastIndexOf('.')) : "";
                String typo = closest(name, locations.childrenOf(parent));
                if (typo != null && !typo.equals(name)) {
                    String typoPath = parent.isEmpty() ? typo : parent + "." + typo;
                    return lineOf(locations, typoPath) + ": unknown field '" + typo + "'"
                            + (parent.isEmpty() ? "" : " in " + parent) + "; did you mean '" + name + "'? ("
                            + full + " is missing)";
                }
                return (parent.isEmpty() ? "" : lineOf(locations, parent)) + ": " + full + " is missing"
                        + (parent.isEmpty() ? " (a job needs input, task and output)" : "");
            }
            if (m.getTargetType() != null) {
                return where + ": " + (field.isEmpty() ? "the job" : field) + ": expected "
                        + expectation(m.getTargetType(), m.getOriginalMessage()) + got(m, locations, field);
            }
        }
        return where + ": " + (field.isEmpty() ? "" : field + ": ") + firstLine(e.getOriginalMessage());
    }

    /** What a value of {@code type} looks like, in words. */
    private static String expectation(Class<?> type, String jacksonMessage) {
        if (type == null) {
            return firstLine(jacksonMessage);
        }
        if (type == ByteSize.class || type == DurationValue.class) {
            String m = jacksonMessage == null ? "" : jacksonMessage;
            return m.startsWith("expected ") ? m.substring("expected ".length()) : "a " + type.getSimpleName();
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.toString().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .collect(Collectors.joining(", "));
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a text value";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a section of 'key: value' fields";
    }

    private static String lineOf(LocationIndex locations, String field) {
        int line = locations.lineOf(field);
        return line > 0 ? ", line " + line : "";
    }

    /** The offending scalar, when the parser still sits on it. */
    private static String got(MismatchedInputException m, LocationIndex locations, String field) {
        String written = locations.scalarAt(field);
        if (written != null) {
            return ", got '" + written + "'";
        }
        if (m.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser p && p.currentToken() != null
                && p.currentToken().isScalarValue()) {
            try {
                return ", got '" + p.getText() + "'";
            } catch (IOException e) {
                return "";
            }
        }
        return "";
    }

    private static String fieldPath(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() <= 0) {
            return "";
        }
        return ", line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }

    /** The known name within edit distance 2 of {@code name}, if any: catches typos such as {@code inclde}. */
    static String closest(String name, List<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : known) {
            int d = editDistance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Canonical JSON of the effective configuration (defaults filled in): what config hashes are computed over. */
    public static String canonicalJson(Object value) {
        try {
            return CANONICAL.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job configuration cannot be written as JSON", e);
        }
    }

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();
}
