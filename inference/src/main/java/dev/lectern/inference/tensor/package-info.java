/**
 * Tensor types and kernels.
 *
 * <ul>
 * <li>{@link dev.lectern.inference.tensor.GgmlType}: every ggml type id with its block geometry.</li>
 * <li>{@link dev.lectern.inference.tensor.Matrix}: a read-only weight matrix {@code rows × cols} over a
 *     {@link java.lang.foreign.MemorySegment} (ggml ne0 = cols, contiguous), with {@code dequantizeRow},
 *     {@code dot} and the threaded {@code matvec}/{@code matmul} ({@code out[b][r] = W[r]·x[b]}). One subclass per
 *     type (e.g. {@code Q8_0Matrix}) holds that type's block layout, bit-exact dequantization and dot kernel.</li>
 * <li>{@code F32Gemm}: the packed outer-product GEMM every batched product ends in.</li>
 * <li>{@link dev.lectern.inference.tensor.Parallel}: the worker pool; work is split by output rows and each output
 *     has a fixed summation order, so results do not depend on the thread count.</li>
 * <li>{@link dev.lectern.inference.tensor.Quantizer}: ggml's reference quantizers for writing models.</li>
 * <li>{@link dev.lectern.inference.tensor.KernelBench}: a kernel microbenchmark entry point.</li>
 * </ul>
 */
package dev.lectern.inference.tensor;
