package dev.lectern.pipeline.extract;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.Office;
import org.apache.tika.metadata.PagedText;
import org.apache.tika.metadata.Property;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;

/** Picks the fields Lectern records out of Tika's metadata, which names the same thing differently per format. */
final class MetadataReader {

    private MetadataReader() {
    }

    /** The detected media type without parameters ({@code text/plain}, not {@code text/plain; charset=UTF-8}). */
    static String contentType(String tikaContentType) {
        if (tikaContentType == null || tikaContentType.isBlank()) {
            return null;
        }
        MediaType type = MediaType.parse(tikaContentType);
        return type == null ? tikaContentType.strip() : type.getBaseType().toString();
    }

    static DocumentMetadata read(Metadata metadata, long characterCount) {
        return new DocumentMetadata(
                first(metadata, TikaCoreProperties.TITLE),
                authors(metadata),
                first(metadata, TikaCoreProperties.CREATED),
                first(metadata, TikaCoreProperties.MODIFIED),
                pageCount(metadata),
                null,
                characterCount);
    }

    /** All distinct authors, joined with "; " (Tika gives one value per author). */
    private static String authors(Metadata metadata) {
        Set<String> names = new LinkedHashSet<>();
        for (String value : metadata.getValues(TikaCoreProperties.CREATOR)) {
            if (value != null && !value.isBlank()) {
                names.add(value.strip());
            }
        }
        if (names.isEmpty()) {
            String author = first(metadata, Office.AUTHOR);
            return author;
        }
        return String.join("; ", names);
    }

    private static Integer pageCount(Metadata metadata) {
        for (Property property : new Property[] {PagedText.N_PAGES, Office.PAGE_COUNT}) {
            String value = first(metadata, property);
            if (value != null) {
                try {
                    return Integer.valueOf(value.strip());
                } catch (NumberFormatException e) {
                    // a malformed count in the document's own properties is no count at all
                }
            }
        }
        return null;
    }

    private static String first(Metadata metadata, Property property) {
        return Arrays.stream(metadata.getValues(property))
                .filter(value -> value != null && !value.isBlank())
                .map(String::strip)
                .findFirst()
                .orElse(null);
    }
}
