package dev.sotto.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import dev.sotto.SottoException;
import dev.sotto.runtime.cuda.CudaCheck;
import dev.sotto.runtime.cuda.CudaOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Opens ONNX files as sessions on one device with one thread budget, and keeps the
 * time spent inside those sessions (so benchmarks can tell ORT time from the engine's).
 *
 * <p>{@code cuda[:N]} never falls back: when the CUDA provider cannot run on that GPU
 * ({@link CudaCheck}: build, driver, libraries, a probe run) creating the runtime fails
 * saying what failed. {@code auto} takes GPU 0 when it passes the same check and the CPU
 * otherwise; {@link #provider()} and {@link #providerReason()} say which runs and why.
 */
public final class Runtime {
    static final String CPU = "CPUExecutionProvider";
    static final String CUDA = "CUDAExecutionProvider";
    private static final Logger LOG = Logger.getLogger(Runtime.class.getName());

    private final OrtEnvironment env;
    private final Device device;
    private final int threads;
    private final String provider;
    private final String providerReason;
    private final CudaOptions cudaOptions;
    private final OptimizedModelCache cache;   // null: every session optimises its graph itself
    private final Stats stats = new Stats();

    private Runtime(OrtEnvironment env, Device device, int threads, String provider, String providerReason,
                    CudaOptions cudaOptions, OptimizedModelCache cache) {
        this.env = env;
        this.device = device;
        this.threads = threads;
        this.provider = provider;
        this.providerReason = providerReason;
        this.cudaOptions = cudaOptions;
        this.cache = cache;
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
        return create(device, threads, CudaOptions.DEFAULT);
    }

    /**
     * @param threads intra-op threads per session; 0 picks min(4, available processors)
     * @param cuda    the CUDA provider's options, used when the sessions run on a GPU
     */
    public static Runtime create(Device device, int threads, CudaOptions cuda) {
        return create(device, threads, cuda, null);
    }

    /**
     * @param threads intra-op threads per session; 0 picks min(4, available processors)
     * @param cuda    the CUDA provider's options, used when the sessions run on a GPU
     * @param cache   where optimised graphs are kept between runs (CPU only); null for none
     */
    public static Runtime create(Device device, int threads, CudaOptions cuda, OptimizedModelCache cache) {
        if (threads < 0) throw new SottoException("--threads must be 0 (automatic) or positive, got " + threads);
        int n = threads == 0 ? Math.min(4, java.lang.Runtime.getRuntime().availableProcessors()) : threads;
        OrtEnvironment env = CudaCheck.environment();
        return switch (device.kind()) {
            case CPU -> new Runtime(env, Device.CPU, n, CPU, "the CPU was asked for", cuda, cache);
            case CUDA -> {
                CudaCheck.Result check = CudaCheck.check(device.index());
                if (!check.works()) throw new SottoException("--device " + device + ": " + check.message());
                yield new Runtime(env, device, n, CUDA, check.summary(), cuda, cache);
            }
            case AUTO -> {
                CudaCheck.Result check = CudaCheck.check(0);
                Device gpu = new Device(Device.Kind.CUDA, 0);
                yield check.works()
                        ? new Runtime(env, gpu, n, CUDA, "auto: the GPU works: " + check.summary(), cuda, cache)
                        : new Runtime(env, Device.CPU, n, CPU, "auto: no GPU used: " + check.problem(), cuda, cache);
            }
        };
    }

    /**
     * Loads ONNX Runtime's native library and creates its environment, so that a command can
     * have it done on another thread while it parses its arguments. Failures are left for the
     * first real use to report.
     */
    public static void preload() {
        try {
            CudaCheck.environment();
        } catch (Throwable e) {
            // reported, with what to do, where the environment is first needed
        }
    }

    /**
     * Opens an ONNX file (external data files are read from beside it); with an optimised
     * model cache, from the graph optimised by an earlier run when there is one.
     */
    public OnnxModel open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new SottoException(file + ": no such model file");
        }
        Path entry = cacheEntry(file);
        if (entry != null && Files.isRegularFile(entry)) {
            try {
                return new OnnxModel(file, createSession(entry, true, null), this);
            } catch (OrtException | RuntimeException e) {
                LOG.warning("the optimised form of " + file + " kept in " + entry + " did not load ("
                        + OnnxModel.firstLine(e.getMessage()) + "): deleted, opening the model itself");
                cache.discard(entry);
            }
        }
        Path temporary = null;
        try {
            if (entry != null) temporary = cache.temporary(entry);
        } catch (java.io.IOException e) {
            LOG.fine("optimised model cache: cannot write to " + cache.dir() + ": " + e.getMessage());
        }
        try {
            OrtSession session;
            try {
                session = createSession(file, false, temporary);
                if (temporary != null) cache.publish(temporary, entry);
            } catch (OrtException e) {
                if (temporary == null) throw e;
                // Saving the optimised graph is what failed, perhaps: the model itself may still load.
                cache.discard(temporary);
                LOG.fine("optimised model cache: " + file + " not kept: " + OnnxModel.firstLine(e.getMessage()));
                session = createSession(file, false, null);
            }
            return new OnnxModel(file, session, this);
        } catch (OrtException e) {
            throw new SottoException(file + ": ONNX Runtime cannot load this model" + where() + ": "
                    + OnnxModel.firstLine(e.getMessage()), e);
        }
    }

    /** Where the optimised graph of {@code file} is kept; null without a cache, on a GPU, or for a model not kept. */
    Path cacheEntry(Path file) {
        if (cache == null || onGpu()) return null;
        // ONNX Runtime's version and providers: the CPU and GPU builds keep apart
        return cache.entry(file, env.getVersion() + " " + new java.util.TreeSet<>(OrtEnvironment.getAvailableProviders()));
    }

    /**
     * A session over {@code file}: an .onnx file optimised now (and saved to {@code saveTo}
     * when not null), or an optimised graph from the cache, which is not optimised again.
     */
    private OrtSession createSession(Path file, boolean optimised, Path saveTo) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(optimised ? OrtSession.SessionOptions.OptLevel.NO_OPT
                    : OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (saveTo != null) options.setOptimizedModelFilePath(saveTo.toString());
            // A failing run reaches the user as a SottoException naming the file and node
            // (OnnxModel.run, OrtFailure); ORT's own ERROR line on stderr would only repeat it.
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            if (onGpu()) addCuda(options);
            return env.createSession(file.toString(), options);
        }
    }

    private void addCuda(OrtSession.SessionOptions options) throws OrtException {
        try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(device.index())) {
            for (Map.Entry<String, String> e : cudaOptions.providerOptions(device.index()).entrySet()) {
                cuda.add(e.getKey(), e.getValue());
            }
            options.addCUDA(cuda);
        }
    }

    /** " on cuda:0 (GPU 0 (NVIDIA H200), CUDA 12.6, cuDNN 9.5 from JavaCPP's jar)" on a GPU, "" on the CPU: for errors. */
    String where() {
        return onGpu() ? " on " + device + " (" + providerReason + ")" : "";
    }

    /** Whether the sessions run on a GPU (the CUDA provider). */
    public boolean onGpu() {
        return provider.equals(CUDA);
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

    /** Why that provider: what was asked for, and for a GPU which one and which CUDA libraries. */
    public String providerReason() {
        return providerReason;
    }

    public int threads() {
        return threads;
    }

    public Stats stats() {
        return stats;
    }
}
