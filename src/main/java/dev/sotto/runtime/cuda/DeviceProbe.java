package dev.sotto.runtime.cuda;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Optional;

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
        OrtEnvironment env = OrtEnvironment.getEnvironment();
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
            return Optional.of(provider + " " + stage + ": " + CudaCheck.firstLine(e.getMessage()));
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
