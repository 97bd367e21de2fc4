/**
 * Running on an NVIDIA GPU: whether ONNX Runtime's CUDA provider can run here, and if not
 * exactly why.
 *
 * <ul>
 *   <li>{@link dev.sotto.runtime.cuda.CudaLibrary}: the libraries the provider needs, in load order;</li>
 *   <li>{@link dev.sotto.runtime.cuda.LibrarySearch}: where the system's dynamic loader finds them;</li>
 *   <li>{@link dev.sotto.runtime.cuda.CudaRedist}: JavaCPP's CUDA jar from Maven Central and its cache;</li>
 *   <li>{@link dev.sotto.runtime.cuda.CudaLibraries}: which of the two is used, and preloading it;</li>
 *   <li>{@link dev.sotto.runtime.cuda.NvidiaSmi}: the driver and GPUs;</li>
 *   <li>{@link dev.sotto.runtime.cuda.DeviceProbe}: a convolution and a matrix product on the device;</li>
 *   <li>{@link dev.sotto.runtime.cuda.CudaCheck}: all of it for one GPU, once per JVM;</li>
 *   <li>{@link dev.sotto.runtime.cuda.CudaReport}: what {@code sotto doctor} shows, and the advice.</li>
 * </ul>
 *
 * <p>It imports nothing of Sotto's but {@link dev.sotto.SottoException}: {@code dev.sotto.runtime}
 * uses it, not the other way round.
 */
package dev.sotto.runtime.cuda;
