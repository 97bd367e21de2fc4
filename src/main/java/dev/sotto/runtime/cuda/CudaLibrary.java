package dev.sotto.runtime.cuda;

/**
 * A library ONNX Runtime 1.29's CUDA execution provider needs besides the driver's
 * {@code libcuda.so.1}, in an order where each comes after the libraries it loads (the order
 * {@link CudaLibraries} preloads them in).
 *
 * <p>Where the list comes from: {@code libonnxruntime_providers_cuda.so} (in
 * {@code onnxruntime_gpu-1.29.0.jar}) links against cudart, cuBLAS, cuBLASLt and cuRAND, and
 * opens {@code libcudnn.so.9} and {@code libcufft.so.11} itself when it first needs them;
 * cuDNN 9 opens its sub-libraries on demand, its runtime-compiled engines and cuFFT use
 * NVRTC and nvJitLink. A library missing from the second group is not noticed when the
 * provider loads, only when a model first runs a convolution: so all are checked up front.
 */
public enum CudaLibrary {
    CUDART("libcudart.so.12", Kit.CUDA, "CUDA runtime", "cuda-cudart-12-6", "nvidia-cuda-runtime-cu12"),
    CUBLAS_LT("libcublasLt.so.12", Kit.CUDA, "cuBLASLt", "libcublas-12-6", "nvidia-cublas-cu12"),
    CUBLAS("libcublas.so.12", Kit.CUDA, "cuBLAS", "libcublas-12-6", "nvidia-cublas-cu12"),
    CURAND("libcurand.so.10", Kit.CUDA, "cuRAND", "libcurand-12-6", "nvidia-curand-cu12"),
    NVRTC("libnvrtc.so.12", Kit.CUDA, "NVRTC", "cuda-nvrtc-12-6", "nvidia-cuda-nvrtc-cu12"),
    NVJITLINK("libnvJitLink.so.12", Kit.CUDA, "nvJitLink", "libnvjitlink-12-6", "nvidia-nvjitlink-cu12"),
    CUFFT("libcufft.so.11", Kit.CUDA, "cuFFT", "libcufft-12-6", "nvidia-cufft-cu12"),
    CUDNN_GRAPH("libcudnn_graph.so.9", Kit.CUDNN, "cuDNN graph"),
    CUDNN_ENGINES_PRECOMPILED("libcudnn_engines_precompiled.so.9", Kit.CUDNN, "cuDNN precompiled engines"),
    CUDNN_ENGINES_RUNTIME_COMPILED("libcudnn_engines_runtime_compiled.so.9", Kit.CUDNN, "cuDNN runtime-compiled engines"),
    CUDNN_HEURISTIC("libcudnn_heuristic.so.9", Kit.CUDNN, "cuDNN heuristics"),
    CUDNN_OPS("libcudnn_ops.so.9", Kit.CUDNN, "cuDNN ops"),
    CUDNN_CNN("libcudnn_cnn.so.9", Kit.CUDNN, "cuDNN convolutions"),
    CUDNN_ADV("libcudnn_adv.so.9", Kit.CUDNN, "cuDNN RNN and attention"),
    CUDNN("libcudnn.so.9", Kit.CUDNN, "cuDNN");

    /** The two things users install: the CUDA 12 toolkit's libraries, and cuDNN 9. */
    public enum Kit {
        CUDA("CUDA 12"), CUDNN("cuDNN 9");

        private final String title;

        Kit(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /** The driver's library: it comes with the NVIDIA driver, never from a CUDA package. */
    public static final String DRIVER = "libcuda.so.1";

    private final String soname;
    private final Kit kit;
    private final String component;
    private final String aptPackage;
    private final String pipPackage;

    CudaLibrary(String soname, Kit kit, String component) {
        this(soname, kit, component, "libcudnn9-cuda-12", "nvidia-cudnn-cu12");
    }

    CudaLibrary(String soname, Kit kit, String component, String aptPackage, String pipPackage) {
        this.soname = soname;
        this.kit = kit;
        this.component = component;
        this.aptPackage = aptPackage;
        this.pipPackage = pipPackage;
    }

    /** The name the dynamic loader looks for, e.g. {@code libcudart.so.12}. */
    public String soname() {
        return soname;
    }

    public Kit kit() {
        return kit;
    }

    /** What it is, in words: {@code cuBLAS}, {@code cuDNN convolutions}. */
    public String component() {
        return component;
    }

    /** The package of NVIDIA's apt repository that installs it. */
    public String aptPackage() {
        return aptPackage;
    }

    /** The pip wheel that ships it. */
    public String pipPackage() {
        return pipPackage;
    }
}
