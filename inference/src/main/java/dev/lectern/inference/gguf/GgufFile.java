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
 *
 * <p>Tensors are slices of a {@linkplain #kernelView plain native view} of the mapping, not of the mapped
 * segment itself, where native access is enabled: the kernels then read every weight, mapped or repacked
 * ({@code Q8_0Panels}), through segments of one implementation class and one (global) scope. With two, the JIT's
 * shared profile of the JDK's vector loads turned polymorphic as soon as a repacked matrix had run, and a Q4_0
 * model decoded at half speed in a JVM that had run a Q8_0 one.
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
            // An automatic arena: the mapping would be released once the GgufFile is unreachable, which OPEN prevents.
            MemorySegment mapping = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
            GgufParser parser = new GgufParser(shownPath, kernelView(mapping));
            parser.parse();
            return new GgufFile(shownPath, mapping, parser);
        } catch (IOException e) {
            throw new UncheckedIOException(shownPath + ": cannot map model file: " + e.getMessage(), e);
        }
    }

    /**
     * The same memory as {@code mapping}, read-only, as a native segment of the global scope (no liveness check
     * on access), or {@code mapping} itself without native access. Safe only because the view never outlives the
     * mapping: the instance keeps the mapping, and {@link #OPEN} keeps every instance for the life of the JVM
     * (a cache that ever lets instances go must also stop handing out views).
     */
    private static MemorySegment kernelView(MemorySegment mapping) {
        if (!GgufFile.class.getModule().isNativeAccessEnabled() || mapping.byteSize() == 0) return mapping;
        return MemorySegment.ofAddress(mapping.address()).reinterpret(mapping.byteSize()).asReadOnly();
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
