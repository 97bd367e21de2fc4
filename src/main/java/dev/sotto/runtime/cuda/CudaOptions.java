package dev.sotto.runtime.cuda;

import dev.sotto.SottoException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The options of ONNX Runtime's CUDA provider that users set (the GPU itself is the
 * device's index).
 *
 * @param memoryLimitBytes    cap of the provider's memory arena ({@code gpu_mem_limit}); 0 = no cap
 * @param convAlgoSearch      how cuDNN picks convolution algorithms ({@code cudnn_conv_algo_search}):
 *                            {@code EXHAUSTIVE} (ORT's default: benchmarks every algorithm once per
 *                            shape), {@code HEURISTIC} (no benchmarking: faster first call) or
 *                            {@code DEFAULT}; null = ORT's default
 */
public record CudaOptions(long memoryLimitBytes, String convAlgoSearch) {
    public static final CudaOptions DEFAULT = new CudaOptions(0, null);

    public CudaOptions {
        if (memoryLimitBytes < 0) throw new SottoException("the GPU memory limit must be positive, got " + memoryLimitBytes);
        if (convAlgoSearch != null) {
            convAlgoSearch = convAlgoSearch.trim().toUpperCase(Locale.ROOT);
            if (!convAlgoSearch.equals("EXHAUSTIVE") && !convAlgoSearch.equals("HEURISTIC")
                    && !convAlgoSearch.equals("DEFAULT")) {
                throw new SottoException("unknown cuDNN convolution algorithm search '" + convAlgoSearch
                        + "': use exhaustive, heuristic or default");
            }
        }
    }

    /** The provider options for GPU {@code deviceId}, as ONNX Runtime names them. */
    public Map<String, String> providerOptions(int deviceId) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("device_id", Integer.toString(deviceId));
        if (memoryLimitBytes > 0) options.put("gpu_mem_limit", Long.toString(memoryLimitBytes));
        if (convAlgoSearch != null) options.put("cudnn_conv_algo_search", convAlgoSearch);
        return options;
    }

    /** "8G", "512M", "1073741824" → bytes. */
    public static long parseBytes(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT).replaceAll("I?B$", "");
        long unit = 1;
        if (!s.isEmpty() && "KMGT".indexOf(s.charAt(s.length() - 1)) >= 0) {
            unit = 1L << (10 * ("KMGT".indexOf(s.charAt(s.length() - 1)) + 1));
            s = s.substring(0, s.length() - 1);
        }
        try {
            double value = Double.parseDouble(s);
            if (value <= 0) throw new NumberFormatException();
            return (long) (value * unit);
        } catch (NumberFormatException e) {
            throw new SottoException("'" + text + "' is not a memory size: write e.g. 8G, 512M or a number of bytes");
        }
    }
}
