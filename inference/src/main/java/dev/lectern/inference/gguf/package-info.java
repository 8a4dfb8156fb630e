/**
 * GGUF model files: {@link dev.lectern.inference.gguf.GgufFile} maps a file once per JVM and exposes its
 * {@link dev.lectern.inference.gguf.GgufMetadata} (typed getters) and {@link dev.lectern.inference.gguf.GgufTensor}s
 * (slices of the mapping, viewable as {@link dev.lectern.inference.tensor.Matrix}); malformed input fails with a
 * {@link dev.lectern.inference.gguf.GgufFormatException} naming the file and the key or tensor.
 * {@link dev.lectern.inference.gguf.GgufWriter} writes GGUF v3 files.
 */
package dev.lectern.inference.gguf;
