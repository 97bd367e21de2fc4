package dev.sotto.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.SottoException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The device checks as they run on this machine (CPU-only ONNX Runtime, no GPU), and the CUDA options. */
class CudaCheckTest {
    @Test
    void theProbeRunsOnTheCpu() {
        assertEquals(Optional.empty(), DeviceProbe.cpu(), "a convolution and a matrix product, right numbers");
    }

    @Test
    void onTheCpuBuildCudaFailsSayingSoAndHowToGetTheGpuOne() {
        if (CudaCheck.ortHasCuda()) return;   // this test is about the default (CPU) build
        CudaCheck.Result r = CudaCheck.check(0);
        assertFalse(r.works());
        assertEquals("this build of Sotto has the CPU-only ONNX Runtime", r.problem());
        assertTrue(r.message().contains("SOTTO_GPU=1 ./sotto") && r.message().contains("./mvnw -Pgpu package"), r.message());
        assertTrue(DeviceProbe.cuda(0).orElseThrow().startsWith("ONNX Runtime's CUDA provider could not load: "),
                DeviceProbe.cuda(0).get());
    }

    @Test
    void ortsLoaderErrorsAreSaidPlainly() {
        // As ONNX Runtime 1.29 GPU reports them on a machine without the driver (run here with CUDA 12.4's libraries).
        assertEquals("could not load libonnxruntime_providers_cuda.so: libcuda.so.1: cannot open shared object file: No "
                + "such file or directory", CudaCheck.ortReason("Error code - ORT_FAIL - message: /onnxruntime_src/"
                + "onnxruntime/core/session/provider_bridge_ort.cc:1988 onnxruntime::Provider& onnxruntime::ProviderLibrary"
                + "::Get() [ONNXRuntimeError] : 1 : FAIL : Failed to load library /tmp/onnxruntime-java1105/"
                + "libonnxruntime_providers_cuda.so with error: libcuda.so.1: cannot open shared object file: No such file "
                + "or directory"));
        assertEquals("OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library", CudaCheck.ortReason(
                "Error code - ORT_FAIL - message: OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library"));
        assertEquals("CUDA failure 100: no CUDA-capable device is detected ; GPU=0", CudaCheck.ortReason(
                "CUDA failure 100: no CUDA-capable device is detected ; GPU=0\n  at ..."));
    }

    @Test
    void cudaProviderOptionsAreOrtsNames() {
        assertEquals(Map.of("device_id", "1"), CudaOptions.DEFAULT.providerOptions(1));
        CudaOptions o = new CudaOptions(CudaOptions.parseBytes("8G"), "heuristic");
        assertEquals(Map.of("device_id", "0", "gpu_mem_limit", "8589934592", "cudnn_conv_algo_search", "HEURISTIC"),
                o.providerOptions(0));
        assertEquals(512L << 20, CudaOptions.parseBytes("512MiB"));
        assertEquals(1000, CudaOptions.parseBytes("1000"));
        assertTrue(assertThrows(SottoException.class, () -> CudaOptions.parseBytes("lots")).getMessage().contains("8G"));
        assertTrue(assertThrows(SottoException.class, () -> new CudaOptions(0, "fastest")).getMessage()
                .contains("exhaustive, heuristic or default"));
    }
}
