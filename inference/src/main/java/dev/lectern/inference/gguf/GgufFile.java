package dev.lectern.inference.gguf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A GGUF model file, memory-mapped read-only: its metadata and its tensors, which are slices of the mapping.
 *
 * <p>{@link #open(Path)} maps each file once per JVM: every caller (e.g. every pipeline worker) opening the same
 * file (same real path, size and modification time) gets the same instance and so shares one mapping and the OS
 * page cache. The mapping lives as long as the instance is reachable; the cache keeps it for the life of the JVM.
 * The file must not be modified while mapped.
 */
public final class GgufFile {

    private record Key(Path realPath, long size, long modified) {}

    private static final Map<Key, GgufFile> OPEN = new ConcurrentHashMap<>();

    private final Path path;
    private final MemorySegment mapping;
    private final int version;
    private final int alignment;
    private final long dataOffset;
    private final GgufMetadata metadata;
    private final Map<String, GgufTensor> tensors;

    private GgufFile(Path path, MemorySegment mapping, GgufParser parsed) {
        this.path = path;
        this.mapping = mapping;
        this.version = parsed.version;
        this.alignment = parsed.alignment;
        this.dataOffset = parsed.dataOffset;
        this.metadata = new GgufMetadata(path, parsed.metadata);
        Map<String, GgufTensor> byName = new LinkedHashMap<>();
        for (GgufTensor t : parsed.tensors) byName.put(t.name(), t);
        this.tensors = Collections.unmodifiableMap(byName);
    }

    /**
     * Opens (or returns the already open) mapping of a GGUF file.
     *
     * @throws GgufFormatException if the file is not a well-formed GGUF v2/v3 file
     * @throws UncheckedIOException if it cannot be read
     */
    public static GgufFile open(Path path) {
        Key key;
        try {
            Path real = path.toRealPath();
            key = new Key(real, Files.size(real), Files.getLastModifiedTime(real).toMillis());
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(path + ": no such model file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot read model file: " + e.getMessage(), e);
        }
        // computeIfAbsent runs the parse at most once per key; a failed parse is not cached.
        return OPEN.computeIfAbsent(key, k -> map(path, k.realPath()));
    }

    private static GgufFile map(Path shownPath, Path realPath) {
        try (FileChannel ch = FileChannel.open(realPath, StandardOpenOption.READ)) {
            // An automatic arena: the mapping is released when the GgufFile (and every slice of it) is unreachable.
            MemorySegment mapping = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
            GgufParser parser = new GgufParser(shownPath, mapping);
            parser.parse();
            return new GgufFile(shownPath, mapping, parser);
        } catch (IOException e) {
            throw new UncheckedIOException(shownPath + ": cannot map model file: " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /** GGUF format version (2 or 3). */
    public int version() {
        return version;
    }

    /** Alignment of tensor data ({@code general.alignment}, default 32). */
    public int alignment() {
        return alignment;
    }

    /** File offset where the tensor data section starts. */
    public long dataOffset() {
        return dataOffset;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    /** The whole file mapping. */
    public MemorySegment mapping() {
        return mapping;
    }

    /** All tensors in file order. */
    public List<GgufTensor> tensors() {
        return List.copyOf(tensors.values());
    }

    public boolean hasTensor(String name) {
        return tensors.containsKey(name);
    }

    public Optional<GgufTensor> findTensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** The tensor with this name; fails with a message naming the file and the tensor when it is absent. */
    public GgufTensor tensor(String name) {
        GgufTensor t = tensors.get(name);
        if (t == null) throw new GgufFormatException(path, "tensor '" + name + "': missing");
        return t;
    }

    @Override
    public String toString() {
        return "GgufFile[" + path + ", v" + version + ", " + metadata.keys().size() + " keys, " + tensors.size() + " tensors]";
    }
}
