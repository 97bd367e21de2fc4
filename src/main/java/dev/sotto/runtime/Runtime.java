package dev.sotto.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.sotto.SottoException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Opens ONNX files as sessions on one device with one thread budget, and keeps the
 * time spent inside those sessions (so benchmarks can tell ORT time from the engine's).
 *
 * <p>{@code cuda} fails loudly when the CUDA execution provider cannot load (no GPU
 * build of ONNX Runtime, missing CUDA/cuDNN libraries, no device); {@code auto} tries
 * CUDA and falls back to the CPU, and {@link #provider()} says which one runs.
 */
public final class Runtime {
    private static final Logger LOG = Logger.getLogger(Runtime.class.getName());

    private final OrtEnvironment env;
    private final Device device;
    private final int threads;
    private final String provider;
    private final Stats stats = new Stats();

    private Runtime(OrtEnvironment env, Device device, int threads, String provider) {
        this.env = env;
        this.device = device;
        this.threads = threads;
        this.provider = provider;
    }

    /** Time spent in {@code OrtSession.run}, summed over every session of one runtime. */
    public static final class Stats {
        private final AtomicLong nanos = new AtomicLong();
        private final AtomicLong calls = new AtomicLong();

        void add(long ns) {
            nanos.addAndGet(ns);
            calls.incrementAndGet();
        }

        public long nanos() {
            return nanos.get();
        }

        public long calls() {
            return calls.get();
        }
    }

    /**
     * @param threads intra-op threads per session; 0 picks min(4, available processors)
     */
    public static Runtime create(Device device, int threads) {
        if (threads < 0) throw new SottoException("--threads must be 0 (automatic) or positive, got " + threads);
        int n = threads == 0 ? Math.min(4, java.lang.Runtime.getRuntime().availableProcessors()) : threads;
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "sotto");
        String provider = switch (device.kind()) {
            case CPU -> "CPUExecutionProvider";
            case CUDA -> {
                String problem = cudaProblem(env, device.index());
                if (problem != null) throw new SottoException("--device " + device + ": " + problem);
                yield "CUDAExecutionProvider";
            }
            case AUTO -> {
                String problem = cudaProblem(env, 0);
                if (problem != null) LOG.fine(() -> "device auto: using the CPU (" + problem + ")");
                yield problem == null ? "CUDAExecutionProvider" : "CPUExecutionProvider";
            }
        };
        Device resolved = !provider.startsWith("CUDA") ? Device.CPU
                : device.kind() == Device.Kind.AUTO ? new Device(Device.Kind.CUDA, 0) : device;
        return new Runtime(env, resolved, n, provider);
    }

    /** Why the CUDA provider cannot run on GPU {@code index}, or null when it can. */
    private static String cudaProblem(OrtEnvironment env, int index) {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return "this build of Sotto has the CPU-only ONNX Runtime. Rebuild with the CUDA one: "
                    + "./mvnw -Pcuda -DskipTests package (needs CUDA 12 and cuDNN 9; see native/README.md)";
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.addCUDA(index);
            return null;
        } catch (OrtException | UnsatisfiedLinkError e) {
            return "the CUDA execution provider could not load: " + OnnxModel.firstLine(e.getMessage())
                    + ". Check the driver, CUDA 12 and cuDNN 9 libraries with native/check-cuda.sh";
        }
    }

    /** Opens an ONNX file (external data files are read from beside it). */
    public OnnxModel open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new SottoException(file + ": no such model file");
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // A failing run reaches the user as a SottoException naming the file and node
            // (OnnxModel.run, OrtFailure); ORT's own ERROR line on stderr would only repeat it.
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            if (provider.startsWith("CUDA")) {
                options.addCUDA(device.index());
            }
            OrtSession session = env.createSession(file.toString(), options);
            return new OnnxModel(file, session, this);
        } catch (OrtException e) {
            throw new SottoException(file + ": ONNX Runtime cannot load this model: " + OnnxModel.firstLine(e.getMessage()), e);
        }
    }

    public OrtEnvironment env() {
        return env;
    }

    public Device device() {
        return device;
    }

    /** The execution provider that runs the sessions, e.g. {@code CPUExecutionProvider}. */
    public String provider() {
        return provider;
    }

    public int threads() {
        return threads;
    }

    public Stats stats() {
        return stats;
    }
}
