package dev.sotto.runtime.cuda;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import dev.sotto.SottoException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether ONNX Runtime's CUDA provider works on GPU N of this machine, and if not, exactly
 * why: a CPU-only build, no driver, no such GPU, a driver too old for CUDA 12, missing
 * libraries (named), a library that does not load (named, with the loader's reason), or the
 * provider failing on a real convolution and matrix product ({@link DeviceProbe}), which is
 * the final word. Checked once per JVM and GPU; loading the libraries is part of it.
 */
public final class CudaCheck {
    private static final Map<Integer, Result> RESULTS = new HashMap<>();

    /**
     * @param works   whether the provider ran the probe on this GPU
     * @param summary when it works, what runs: "GPU 0 (NVIDIA H200), CUDA 12.6, cuDNN 9.5 from JavaCPP's jar"
     * @param problem when it does not, what failed: the library, version, file or GPU, and the reason
     * @param advice  when it does not, what to do about it (may be empty)
     */
    public record Result(int device, boolean works, String summary, String problem, String advice) {
        static Result works(int device, String summary) {
            return new Result(device, true, summary, "", "");
        }

        static Result fails(int device, Failure failure) {
            return new Result(device, false, "", failure.problem(), failure.advice());
        }

        /** The problem and what to do, as one message. */
        public String message() {
            return advice.isEmpty() ? problem : problem + ". " + advice;
        }
    }

    /** Why the provider cannot run, and what to do about it. */
    record Failure(String problem, String advice) {
    }

    private CudaCheck() {
    }

    /**
     * ONNX Runtime's environment, created at its FATAL log level when this is the first use:
     * its ERROR lines would only repeat, in its own format, what Sotto's messages say.
     */
    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "sotto");
    }

    /** Whether this build's ONNX Runtime has the CUDA provider (onnxruntime_gpu rather than onnxruntime). */
    public static boolean ortHasCuda() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    public static synchronized Result check(int device) {
        return RESULTS.computeIfAbsent(device, CudaCheck::run);
    }

    private static Result run(int device) {
        if (!ortHasCuda()) return Result.fails(device, CPU_ONLY_BUILD);
        CudaRedist redist = CudaRedist.onClassPath();
        CudaLibraries.Plan plan = CudaLibraries.plan(LibrarySearch.system(), redist, CudaLibraries.forcedSource());
        NvidiaSmi smi = NvidiaSmi.query();
        Optional<Failure> failure = beforeLoading(plan, smi, device);
        if (failure.isPresent()) return Result.fails(device, failure.get());
        try {
            CudaLibraries.prepare(plan, redist, file -> System.load(file.toString()));
        } catch (SottoException e) {
            return Result.fails(device, new Failure(e.getMessage(), "Run ./sotto doctor --device cuda for the details"));
        }
        String where = smi.gpu(device).map(g -> "GPU " + device + " (" + g.name() + ")").orElse("GPU " + device);
        return DeviceProbe.cuda(device)
                .map(p -> Result.fails(device, new Failure(p + " (" + where + ", " + plan.describe() + ")",
                        "Run ./sotto doctor --device cuda" + (device == 0 ? "" : ":" + device) + " for the details")))
                .orElseGet(() -> Result.works(device, where + ", " + plan.describe()));
    }

    static final Failure CPU_ONLY_BUILD = new Failure("this build of Sotto has the CPU-only ONNX Runtime",
            "Build the GPU one with SOTTO_GPU=1 ./sotto ... (ONNX Runtime GPU, and CUDA 12 + cuDNN 9 from Maven "
                    + "Central unless they are installed), or ./mvnw -Pgpu package");

    /** What stops the provider before anything is loaded: the driver, the GPU, the libraries. */
    static Optional<Failure> beforeLoading(CudaLibraries.Plan plan, NvidiaSmi smi, int device) {
        if (plan.driver().isEmpty()) {
            return Optional.of(new Failure("the NVIDIA driver is not installed: the dynamic loader does not find "
                    + CudaLibrary.DRIVER + smi.problem().map(p -> "; " + p).orElse(""),
                    "Install the NVIDIA driver, " + NvidiaSmi.MIN_DRIVER_CUDA_12 + " or newer; in a container, start it "
                            + "with the GPU exposed (docker run --gpus all)"));
        }
        if (smi.problem().isEmpty() && smi.gpu(device).isEmpty()) {
            return Optional.of(new Failure(smi.gpus().isEmpty() ? "nvidia-smi lists no GPU on this machine"
                    : "there is no GPU " + device + ": nvidia-smi lists " + smi.gpus().stream()
                    .map(g -> "GPU " + g.index() + " (" + g.name() + ")").reduce((a, b) -> a + ", " + b).orElse(""),
                    smi.gpus().isEmpty() ? "Check that the GPU is seated and the driver loaded (nvidia-smi)"
                            : "Pick one of those: --device cuda:N"));
        }
        if (!smi.driverSupportsCuda12()) {
            return Optional.of(new Failure("NVIDIA driver " + smi.driver() + " is too old for CUDA 12, which needs "
                    + NvidiaSmi.MIN_DRIVER_CUDA_12 + " or newer", "Update the NVIDIA driver"));
        }
        return plan.problem().map(p -> new Failure(p, "Build with SOTTO_GPU=1 ./sotto to bring them from Maven "
                + "Central, or install them (./sotto doctor --device cuda says how)"));
    }

    private static final Pattern ORT_PREFIX = Pattern.compile(
            "^(?:Error code - \\S+ - message: )?(?:.*?\\[ONNXRuntimeError\\] : \\d+ : \\S+ : )?");
    private static final Pattern LIBRARY_FAILURE = Pattern.compile("Failed to load library (?:\\S*/)?(\\S+) with error: (.*)");

    /**
     * ONNX Runtime's message without its error code and C++ source location, and a library that
     * failed to load said plainly: "could not load libonnxruntime_providers_cuda.so: libcuda.so.1:
     * cannot open shared object file".
     */
    static String ortReason(String message) {
        String line = ORT_PREFIX.matcher(firstLine(message)).replaceFirst("");
        Matcher m = LIBRARY_FAILURE.matcher(line);
        return m.matches() ? "could not load " + m.group(1) + ": " + m.group(2) : line;
    }

    static String firstLine(String message) {
        if (message == null) return "(no message)";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
