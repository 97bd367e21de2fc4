package dev.sotto.runtime.cuda;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Everything {@code sotto doctor} says about running on a GPU: ONNX Runtime's version and
 * providers, the driver and GPUs, each CUDA library (system copy, JavaCPP copy), the check of
 * the GPU asked for, and what to do about what is missing, in plain words.
 *
 * @param check the {@link CudaCheck} of the GPU asked for; empty when none was
 */
public record CudaReport(String ortVersion, List<String> providers, boolean ortHasCuda, NvidiaSmi smi,
                         CudaLibraries.Plan plan, Optional<Path> redistJar, Path redistCache,
                         Optional<CudaCheck.Result> check) {

    /** Looks at this machine; checks GPU {@code device} when given (which loads the libraries and runs the probe). */
    public static CudaReport collect(Optional<Integer> device) {
        CudaRedist redist = CudaRedist.onClassPath();
        List<String> providers = new ArrayList<>();
        for (OrtProvider p : OrtEnvironment.getAvailableProviders()) providers.add(p.getName());
        String forced = CudaLibraries.forcedSource();
        return new CudaReport(CudaCheck.environment().getVersion(), providers, CudaCheck.ortHasCuda(),
                NvidiaSmi.query(), CudaLibraries.plan(LibrarySearch.system(), redist, forced), redist.jar(),
                redist.cacheDirectory(), device.map(CudaCheck::check));
    }

    static final String PROVIDER_FAILS = "The libraries are there but ONNX Runtime's CUDA provider fails on this GPU "
            + "(the reason is above). Check that nvidia-smi works; that the system's libraries are CUDA 12 and cuDNN 9 "
            + "builds for CUDA 12, not older minor versions than ONNX Runtime 1.29 needs; or use JavaCPP's copy instead: "
            + "SOTTO_GPU=1 SOTTO_CUDA_LIBRARIES=javacpp ./sotto doctor --device cuda.";

    /** What to do, one sentence or two per item, most fundamental first; empty when the GPU works. */
    public List<String> advice() {
        List<String> advice = new ArrayList<>();
        if (check.map(CudaCheck.Result::works).orElse(false)) return advice;
        if (!ortHasCuda) {
            advice.add("This build of Sotto has the CPU-only ONNX Runtime. Build the GPU one: SOTTO_GPU=1 ./sotto doctor "
                    + "--device cuda. It downloads ONNX Runtime GPU (640 MB) and, unless CUDA 12 and cuDNN 9 are "
                    + "installed, CUDA 12.6 and cuDNN 9.5 (2 GB) from Maven Central, once.");
        }
        if (plan.driver().isEmpty()) {
            advice.add("Install the NVIDIA driver (" + NvidiaSmi.MIN_DRIVER_CUDA_12 + " or newer), e.g. sudo apt-get "
                    + "install nvidia-driver (Debian) or sudo ubuntu-drivers install (Ubuntu), then reboot. In a "
                    + "container, run it with the GPU exposed: docker run --gpus all (NVIDIA Container Toolkit).");
        } else if (!smi.driverSupportsCuda12()) {
            advice.add("Update the NVIDIA driver: " + smi.driver() + " is older than " + NvidiaSmi.MIN_DRIVER_CUDA_12
                    + ", the first that runs CUDA 12.");
        }
        if (plan.source() == CudaLibraries.Source.NONE) advice.addAll(libraryAdvice());
        if (plan.source() == CudaLibraries.Source.JAVACPP && plan.libraries().stream().anyMatch(s -> s.cached().isEmpty())) {
            advice.add("The first run on the GPU extracts " + plan.redistVersions() + " (about 2 GB) to " + redistCache
                    + ", once.");
        }
        check.filter(c -> !c.works()).ifPresent(c -> {
            if (advice.isEmpty()) advice.add(PROVIDER_FAILS);
        });
        return advice;
    }

    private List<String> libraryAdvice() {
        List<String> advice = new ArrayList<>();
        for (CudaLibrary.Kit kit : CudaLibrary.Kit.values()) {
            List<CudaLibrary> missing = plan.missingFromSystem().stream().filter(l -> l.kit() == kit).toList();
            if (missing.isEmpty()) continue;
            Set<String> apt = new LinkedHashSet<>();
            Set<String> pip = new LinkedHashSet<>();
            for (CudaLibrary l : missing) {
                apt.add(l.aptPackage());
                pip.add(l.pipPackage());
            }
            advice.add(String.format(Locale.ROOT, "%s is missing (%s). Either let Sotto bring it from Maven Central: "
                    + "SOTTO_GPU=1 ./sotto ... (no root needed; nothing to install), or install it: sudo apt-get install "
                    + "%s (from NVIDIA's CUDA repository, https://developer.nvidia.com/cuda-downloads), or pip install %s "
                    + "and add each package's lib directory to LD_LIBRARY_PATH.", kit.title(),
                    String.join(", ", missing.stream().map(CudaLibrary::soname).toList()), String.join(" ", apt),
                    String.join(" ", pip)));
        }
        return advice;
    }
}
