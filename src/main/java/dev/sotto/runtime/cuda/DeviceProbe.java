package dev.sotto.runtime.cuda;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs {@link ProbeModel} (a convolution and a matrix product) on a device and checks the
 * numbers: the last word on whether a device works, after every library has been found.
 */
public final class DeviceProbe {
    private DeviceProbe() {
    }

    /** Why the CPU provider cannot run the probe; empty when it can. */
    public static Optional<String> cpu() {
        return run("ONNX Runtime's CPU provider", null);
    }

    /** Why the CUDA provider cannot run the probe on GPU {@code device}, with CPU fallback disabled; empty when it can. */
    public static Optional<String> cuda(int device) {
        return run("ONNX Runtime's CUDA provider", device);
    }

    private static Optional<String> run(String provider, Integer cudaDevice) {
        OrtEnvironment env = CudaCheck.environment();
        String stage = "could not load";
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            if (cudaDevice != null) {
                // Every node must run on the GPU: a probe that ORT quietly moved to the CPU would prove nothing.
                options.addConfigEntry("session.disable_cpu_ep_fallback", "1");
                try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(cudaDevice)) {
                    options.addCUDA(cuda);
                }
            }
            stage = cudaDevice != null ? "could not start on the GPU" : "could not start";
            try (OrtSession session = env.createSession(ProbeModel.bytes(), options);
                 OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(iota(16)), ProbeModel.X_SHAPE);
                 OnnxTensor w = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {2}), ProbeModel.W_SHAPE);
                 OnnxTensor m = OnnxTensor.createTensor(env, FloatBuffer.wrap(identity(4)), ProbeModel.M_SHAPE)) {
                stage = "failed running a convolution" + (cudaDevice != null ? " (cuDNN)" : "")
                        + " and a matrix product" + (cudaDevice != null ? " (cuBLAS)" : "");
                try (OrtSession.Result r = session.run(Map.of("x", x, "w", w, "m", m))) {
                    float[] y = new float[16];
                    ((OnnxTensor) r.get(0)).getFloatBuffer().get(y);
                    for (int i = 0; i < 16; i++) {
                        if (y[i] != 2 * (i + 1)) {
                            return Optional.of(provider + " computed wrong numbers (" + y[i] + " for " + 2 * (i + 1) + ")");
                        }
                    }
                    return Optional.empty();
                }
            }
        } catch (OrtException | UnsatisfiedLinkError e) {
            String reason = CudaCheck.ortReason(e.getMessage());
            if (cudaDevice != null && reason.endsWith("Failed to load shared library")) {
                reason = providerLoadError().orElse(reason);
            }
            return Optional.of(provider + " " + stage + ": " + reason);
        }
    }

    /**
     * Why ONNX Runtime could not load its CUDA provider library. Its exception only says
     * "Failed to load shared library" (the reason goes to its log), so the copy it extracted
     * (java.io.tmpdir/onnxruntime-java*) is loaded again here to get the dynamic loader's own
     * words, e.g. "libcublasLt.so.12: version `libcublasLt.so.12' not found".
     */
    static Optional<String> providerLoadError() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Optional<Path> extracted;
        try (Stream<Path> dirs = Files.list(tmp)) {
            extracted = dirs.filter(d -> d.getFileName().toString().startsWith("onnxruntime-java"))
                    .map(d -> d.resolve(PROVIDER_LIBRARY)).filter(Files::isRegularFile)
                    .max(Comparator.comparing(DeviceProbe::modified));
        } catch (IOException e) {
            return Optional.empty();
        }
        if (extracted.isEmpty()) return Optional.empty();
        try {
            System.load(extracted.get().toString());
            return Optional.empty();
        } catch (UnsatisfiedLinkError e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            int at = message.indexOf(PROVIDER_LIBRARY + ": ");
            return Optional.of("could not load " + PROVIDER_LIBRARY + ": "
                    + (at >= 0 ? message.substring(at + PROVIDER_LIBRARY.length() + 2) : message));
        }
    }

    private static final String PROVIDER_LIBRARY = "libonnxruntime_providers_cuda.so";

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static float[] iota(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i + 1;
        return v;
    }

    private static float[] identity(int n) {
        float[] v = new float[n * n];
        for (int i = 0; i < n; i++) v[i * n + i] = 1;
        return v;
    }
}
