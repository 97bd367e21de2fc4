package dev.sotto.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.SottoException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Choosing where the CUDA libraries come from (the system's, or JavaCPP's jar), extracting
 * and preloading the jar's, and the messages for what is missing: all on fake library
 * directories and a fake jar of stub files, so no GPU or CUDA is needed.
 */
class CudaLibrariesTest {
    private static boolean notCudnn(CudaLibrary lib) {
        return lib.kit() != CudaLibrary.Kit.CUDNN;
    }

    @Test
    void aSystemWithoutCudnnAndNoJarSaysCudnnIsMissingAndWhatToDo(@TempDir Path tmp) throws Exception {
        Path lib = FakeCuda.libraryDir(tmp.resolve("lib"), CudaLibrariesTest::notCudnn, true);
        CudaLibraries.Plan plan = CudaLibraries.plan(FakeCuda.search(lib), FakeCuda.redist(null, tmp), "");
        assertEquals(CudaLibraries.Source.NONE, plan.source());
        assertEquals(Arrays.stream(CudaLibrary.values()).filter(l -> !notCudnn(l)).toList(), plan.missingFromSystem());
        String problem = plan.problem().orElseThrow();
        assertTrue(problem.startsWith("the dynamic loader does not find cuDNN 9 (libcudnn_graph.so.9, "), problem);
        assertTrue(problem.contains("libcudnn.so.9)") && !problem.contains("CUDA 12 ("), problem);
        assertTrue(problem.endsWith("and JavaCPP's CUDA jar is not on the class path"), problem);
        assertEquals(Optional.of("12.6.77"), plan.systemVersion(CudaLibrary.Kit.CUDA));

        CudaCheck.Failure failure = CudaCheck.beforeLoading(plan, NvidiaSmi.parse("0, NVIDIA A10, 550.54.15, 23028, 8.6"), 0)
                .orElseThrow();
        assertEquals(problem, failure.problem());
        assertTrue(failure.advice().contains("SOTTO_GPU=1"), failure.advice());

        List<String> advice = report(plan, true).advice();
        assertEquals(1, advice.size(), advice.toString());
        assertTrue(advice.get(0).startsWith("cuDNN 9 is missing (libcudnn_graph.so.9"), advice.get(0));
        assertTrue(advice.get(0).contains("SOTTO_GPU=1 ./sotto") && advice.get(0).contains("apt-get install libcudnn9-cuda-12")
                && advice.get(0).contains("pip install nvidia-cudnn-cu12") && advice.get(0).contains("LD_LIBRARY_PATH"),
                advice.get(0));
    }

    @Test
    void aCompleteSystemIsUsedAsItIs(@TempDir Path tmp) throws Exception {
        Path lib = FakeCuda.libraryDir(tmp.resolve("lib"), l -> true, true);
        Path jar = FakeCuda.redistJar(tmp, l -> true);
        CudaRedist redist = FakeCuda.redist(jar, tmp.resolve("cache"));
        CudaLibraries.Plan plan = CudaLibraries.plan(FakeCuda.search(lib), redist, "");
        assertEquals(CudaLibraries.Source.SYSTEM, plan.source(), "the user's CUDA wins over the jar");
        assertEquals("CUDA 12.6.77 and cuDNN 9.5.1 of this system", plan.describe());
        List<Path> loaded = new ArrayList<>();
        CudaLibraries.prepare(plan, redist, loaded::add);
        assertEquals(List.of(), loaded, "the loader finds the system's libraries itself");
        assertFalse(Files.exists(tmp.resolve("cache")), "nothing extracted");

        CudaLibraries.Plan forced = CudaLibraries.plan(FakeCuda.search(lib), redist, "javacpp");
        assertEquals(CudaLibraries.Source.JAVACPP, forced.source(), "SOTTO_CUDA_LIBRARIES=javacpp");
    }

    @Test
    void theJarsLibrariesAreExtractedOnceAndLoadedInDependencyOrder(@TempDir Path tmp) throws Exception {
        Path lib = FakeCuda.libraryDir(tmp.resolve("lib"), CudaLibrariesTest::notCudnn, true);
        Path jar = FakeCuda.redistJar(tmp, l -> true);
        CudaRedist redist = FakeCuda.redist(jar, tmp.resolve("cache"));
        CudaLibraries.Plan plan = CudaLibraries.plan(FakeCuda.search(lib), redist, "");
        assertEquals(CudaLibraries.Source.JAVACPP, plan.source(), "all from the jar, not a mix");
        assertEquals("CUDA 12.6, cuDNN 9.5 from JavaCPP's jar (Maven Central)", plan.describe());
        assertTrue(plan.libraries().stream().allMatch(s -> s.inJar() && s.cached().isEmpty()));

        List<Path> loaded = new ArrayList<>();
        CudaLibraries.prepare(plan, redist, loaded::add);
        Path dir = tmp.resolve("cache").resolve(FakeCuda.JAR_NAME).resolve("org/bytedeco/cuda/linux-x86_64");
        List<String> names = loaded.stream().map(p -> p.getFileName().toString()).toList();
        List<String> expected = new ArrayList<>(Arrays.stream(CudaLibrary.values()).map(CudaLibrary::soname).toList());
        expected.add(expected.indexOf("libnvrtc.so.12") + 1, "libnvrtc-builtins.so.12.6");
        assertEquals(expected, names);
        assertTrue(loaded.stream().allMatch(p -> p.getParent().equals(dir)), "JavaCPP's cache layout: " + loaded);
        assertEquals("stub of libcudnn.so.9", Files.readString(dir.resolve("libcudnn.so.9")));
        assertEquals(1_700_000_000_000L, Files.getLastModifiedTime(dir.resolve("libcudnn.so.9")).toMillis(),
                "the jar entry's time, as JavaCPP's Loader sets it");

        Files.setLastModifiedTime(dir.resolve("libcudnn.so.9"), FileTime.fromMillis(1_700_000_000_000L));
        Files.writeString(dir.resolve("libcurand.so.10"), "stale");   // another size: extracted again
        CudaLibraries.Plan again = CudaLibraries.plan(FakeCuda.search(lib), redist, "");
        assertTrue(again.libraries().stream().filter(s -> s.library() != CudaLibrary.CURAND).allMatch(s -> s.cached().isPresent()),
                "found in the cache the second time");
        CudaLibraries.prepare(again, redist, p -> { });
        assertEquals("stub of libcurand.so.10", Files.readString(dir.resolve("libcurand.so.10")));
    }

    @Test
    void aLibraryThatDoesNotLoadIsNamedWithTheLoadersReason(@TempDir Path tmp) throws Exception {
        Path jar = FakeCuda.redistJar(tmp, l -> true);
        CudaRedist redist = FakeCuda.redist(jar, tmp.resolve("cache"));
        CudaLibraries.Plan plan = CudaLibraries.plan(FakeCuda.search(tmp), redist, "");
        SottoException e = assertThrows(SottoException.class,
                () -> CudaLibraries.prepare(plan, redist, p -> System.load(p.toString())));
        assertTrue(e.getMessage().startsWith("could not load CUDA runtime (libcudart.so.12, CUDA 12.6, cuDNN 9.5) from "
                + tmp.resolve("cache")), e.getMessage());
        assertTrue(e.getMessage().endsWith("libcudart.so.12: file too short"), e.getMessage());
    }

    @Test
    void anIncompleteJarOrAForcedSystemIsReported(@TempDir Path tmp) throws Exception {
        Path jar = FakeCuda.redistJar(tmp, l -> l != CudaLibrary.CUFFT);
        CudaLibraries.Plan plan = CudaLibraries.plan(FakeCuda.search(tmp), FakeCuda.redist(jar, tmp), "");
        assertEquals(CudaLibraries.Source.NONE, plan.source());
        assertTrue(plan.problem().orElseThrow().endsWith("JavaCPP's CUDA jar lacks some of them"), plan.problem().get());
        Path full = FakeCuda.redistJar(Files.createDirectories(tmp.resolve("full")), l -> true);
        plan = CudaLibraries.plan(FakeCuda.search(tmp), FakeCuda.redist(full, tmp), "system");
        assertTrue(plan.problem().orElseThrow().contains("SOTTO_CUDA_LIBRARIES=system"), plan.problem().get());
    }

    @Test
    void theDriverAndTheGpuAreCheckedFirst(@TempDir Path tmp) throws Exception {
        Path noDriver = FakeCuda.libraryDir(tmp.resolve("a"), l -> true, false);
        CudaLibraries.Plan plan = CudaLibraries.plan(FakeCuda.search(noDriver), FakeCuda.redist(null, tmp), "");
        CudaCheck.Failure f = CudaCheck.beforeLoading(plan, NvidiaSmi.query(tmp.resolve("nvidia-smi").toString()), 0)
                .orElseThrow();
        assertEquals("the NVIDIA driver is not installed: the dynamic loader does not find libcuda.so.1; no nvidia-smi on "
                + "the PATH (it comes with the NVIDIA driver)", f.problem());
        assertTrue(f.advice().contains("525.60.13") && f.advice().contains("--gpus all"), f.advice());

        Path withDriver = FakeCuda.libraryDir(tmp.resolve("b"), l -> true, true);
        plan = CudaLibraries.plan(FakeCuda.search(withDriver), FakeCuda.redist(null, tmp), "");
        NvidiaSmi one = NvidiaSmi.parse("0, NVIDIA H200, 570.86.15, 143771, 9.0");
        assertTrue(CudaCheck.beforeLoading(plan, one, 0).isEmpty(), "driver, GPU 0 and libraries are there");
        assertEquals("there is no GPU 1: nvidia-smi lists GPU 0 (NVIDIA H200)",
                CudaCheck.beforeLoading(plan, one, 1).orElseThrow().problem());
        assertEquals("NVIDIA driver 470.256.02 is too old for CUDA 12, which needs 525.60.13 or newer",
                CudaCheck.beforeLoading(plan, NvidiaSmi.parse("0, Tesla T4, 470.256.02, 15360, 7.5"), 0).orElseThrow()
                        .problem());
    }

    private static CudaReport report(CudaLibraries.Plan plan, boolean ortHasCuda) {
        return new CudaReport("1.29.0", List.of("CUDAExecutionProvider", "CPUExecutionProvider"), ortHasCuda,
                NvidiaSmi.parse("0, NVIDIA A10, 550.54.15, 23028, 8.6"), plan, Optional.empty(), Path.of("/cache"),
                Optional.empty());
    }
}
