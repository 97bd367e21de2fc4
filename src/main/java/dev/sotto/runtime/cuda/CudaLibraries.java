package dev.sotto.runtime.cuda;

import dev.sotto.SottoException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Where the CUDA and cuDNN libraries come from, and getting them loaded before ONNX Runtime
 * creates its CUDA provider.
 *
 * <p>The system's copies win when the loader finds every one of them (the user installed
 * CUDA 12 and cuDNN 9: use theirs). Otherwise, when JavaCPP's jar is on the class path, all
 * of them come from it, never a mix of the two: a mix is how version mismatches happen.
 * The jar's libraries are extracted to JavaCPP's cache and loaded with {@link System#load}
 * in dependency order. That is what lets ONNX Runtime find them: the dynamic loader answers
 * a request for {@code libcudart.so.12} (a dependency of the CUDA provider, or cuDNN's own
 * {@code dlopen} of a sub-library) with the library of that soname already loaded, wherever
 * its file is, so no {@code LD_LIBRARY_PATH} needs setting before the JVM starts.
 *
 * <p>{@code SOTTO_CUDA_LIBRARIES=javacpp} (or {@code system}) forces one source, for a
 * system installation that is there but broken.
 */
public final class CudaLibraries {
    private static final Logger LOG = Logger.getLogger(CudaLibraries.class.getName());

    public enum Source {
        SYSTEM, JAVACPP, NONE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One library: where the system's loader finds it, and whether JavaCPP's jar has it (and in the cache). */
    public record Status(CudaLibrary library, Optional<LibrarySearch.Found> system, boolean inJar,
                         Optional<Path> cached) {
    }

    /**
     * What this machine offers: the driver's library, each CUDA library, the source chosen and
     * (for {@link Source#NONE}) what is missing.
     */
    public record Plan(Optional<LibrarySearch.Found> driver, List<Status> libraries, Source source,
                       String redistVersions, String forced) {

        public List<CudaLibrary> missingFromSystem() {
            return libraries.stream().filter(s -> s.system().isEmpty()).map(Status::library).toList();
        }

        /** The version the system has of a kit, from its main library: "12.6.77", "9.5.1". */
        public Optional<String> systemVersion(CudaLibrary.Kit kit) {
            CudaLibrary main = kit == CudaLibrary.Kit.CUDA ? CudaLibrary.CUDART : CudaLibrary.CUDNN;
            return libraries.stream().filter(s -> s.library() == main).findFirst().flatMap(Status::system)
                    .map(LibrarySearch.Found::version);
        }

        /** In words, where the libraries come from: "CUDA 12.6.77 and cuDNN 9.5.1 of this system". */
        public String describe() {
            return switch (source) {
                case SYSTEM -> "CUDA " + systemVersion(CudaLibrary.Kit.CUDA).orElse("12") + " and cuDNN "
                        + systemVersion(CudaLibrary.Kit.CUDNN).orElse("9") + " of this system";
                case JAVACPP -> redistVersions + " from JavaCPP's jar (Maven Central)";
                case NONE -> "no CUDA libraries";
            };
        }

        /** Why no source can be used, naming what is missing; empty when one can. */
        public Optional<String> problem() {
            if (source != Source.NONE) return Optional.empty();
            List<String> missing = new ArrayList<>();
            for (CudaLibrary.Kit kit : CudaLibrary.Kit.values()) {
                List<String> names = missingFromSystem().stream().filter(l -> l.kit() == kit).map(CudaLibrary::soname)
                        .toList();
                if (!names.isEmpty()) missing.add(kit.title() + " (" + String.join(", ", names) + ")");
            }
            String what = missing.isEmpty() ? "the CUDA libraries" : String.join(" and ", missing);
            String jar = forced.equals("system") ? " (SOTTO_CUDA_LIBRARIES=system: JavaCPP's copy is not used)"
                    : redistVersions.isEmpty() ? " and JavaCPP's CUDA jar is not on the class path"
                    : " and JavaCPP's CUDA jar lacks some of them";
            return Optional.of("the dynamic loader does not find " + what + jar);
        }
    }

    private CudaLibraries() {
    }

    /** Looks (nothing is loaded or extracted): what the system has, what the jar has, which source would be used. */
    public static Plan plan(LibrarySearch system, CudaRedist redist, String forced) {
        List<Status> statuses = new ArrayList<>();
        for (CudaLibrary lib : CudaLibrary.values()) {
            boolean inJar = redist.contains(lib.soname());
            statuses.add(new Status(lib, system.find(lib.soname()), inJar,
                    inJar ? redist.cached(lib.soname()) : Optional.empty()));
        }
        boolean systemComplete = statuses.stream().allMatch(s -> s.system().isPresent());
        boolean jarComplete = statuses.stream().allMatch(Status::inJar);
        Source source;
        if (forced.equals("javacpp")) source = jarComplete ? Source.JAVACPP : Source.NONE;
        else if (forced.equals("system")) source = systemComplete ? Source.SYSTEM : Source.NONE;
        else source = systemComplete ? Source.SYSTEM : jarComplete ? Source.JAVACPP : Source.NONE;
        return new Plan(system.find(CudaLibrary.DRIVER), statuses, source, redist.present() ? redist.versions() : "",
                forced);
    }

    /** {@code SOTTO_CUDA_LIBRARIES}: {@code system}, {@code javacpp}, or empty for the automatic choice. */
    public static String forcedSource() {
        String value = System.getenv("SOTTO_CUDA_LIBRARIES");
        if (value == null || value.isBlank() || value.equalsIgnoreCase("auto")) return "";
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!v.equals("system") && !v.equals("javacpp")) {
            throw new SottoException("SOTTO_CUDA_LIBRARIES=" + value + ": use system, javacpp or auto");
        }
        return v;
    }

    /**
     * Makes the plan's libraries loadable by ONNX Runtime: nothing to do for the system's;
     * JavaCPP's are extracted (once per machine) and loaded in dependency order by
     * {@code load} ({@link System#load} outside tests). Fails naming the library, its
     * version, the file and the loader's reason.
     */
    public static void prepare(Plan plan, CudaRedist redist, Consumer<Path> load) {
        if (plan.source() == Source.NONE) throw new SottoException(plan.problem().orElseThrow());
        if (plan.source() == Source.SYSTEM) return;
        long missingBytes = plan.libraries().stream().filter(s -> s.cached().isEmpty())
                .mapToLong(s -> redist.size(s.library().soname())).sum();
        if (missingBytes > 0) {
            LOG.info(String.format(Locale.ROOT, "extracting %s (%.0f MB, once) to %s", plan.redistVersions(),
                    missingBytes / 1e6, redist.cacheDirectory()));
        }
        for (CudaLibrary lib : CudaLibrary.values()) {
            loadFromJar(lib.soname(), lib.component(), plan.redistVersions(), redist, load);
            if (lib == CudaLibrary.NVRTC) {
                // NVRTC opens its builtins by a versioned name (libnvrtc-builtins.so.12.6) that only the jar fixes.
                String builtins = "libnvrtc-builtins.so." + redistCudaVersion(plan.redistVersions());
                if (redist.contains(builtins)) loadFromJar(builtins, "NVRTC builtins", plan.redistVersions(), redist, load);
            }
        }
    }

    private static void loadFromJar(String soname, String component, String versions, CudaRedist redist,
                                    Consumer<Path> load) {
        Path file;
        try {
            file = redist.extract(soname);
        } catch (IOException e) {
            throw new SottoException("could not extract " + component + " (" + soname + ", " + versions + ") to "
                    + redist.cacheDirectory() + ": " + e.getMessage() + ". The libraries need about 2 GB there: free "
                    + "space, or point -Dorg.bytedeco.javacpp.cachedir=DIR at a disk that has it", e);
        }
        try {
            load.accept(file);
        } catch (UnsatisfiedLinkError e) {
            throw new SottoException("could not load " + component + " (" + soname + ", " + versions + ") from " + file
                    + ": " + loaderReason(e.getMessage(), file), e);
        }
    }

    /** The JVM repeats the file before the loader's reason ("FILE: FILE: file too short"): the reason alone. */
    static String loaderReason(String message, Path file) {
        String reason = message == null ? "" : message;
        String prefix = file + ": ";
        while (reason.startsWith(prefix)) reason = reason.substring(prefix.length());
        return reason;
    }

    /** "12.6" from "CUDA 12.6, cuDNN 9.5". */
    private static String redistCudaVersion(String versions) {
        return versions.startsWith("CUDA ") ? versions.substring(5, versions.indexOf(',')) : "";
    }
}
