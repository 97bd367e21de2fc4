package dev.sotto.runtime.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The NVIDIA driver and GPUs as {@code nvidia-smi} (installed with the driver) reports them.
 *
 * @param gpus    the GPUs, by index
 * @param driver  the driver version ("550.54.15"), empty when unknown
 * @param problem why nothing could be read (no nvidia-smi, or it failed), empty when it worked
 */
public record NvidiaSmi(List<Gpu> gpus, String driver, Optional<String> problem) {
    /** CUDA 12 needs driver 525.60.13 or newer on Linux (CUDA's minor version compatibility). */
    static final String MIN_DRIVER_CUDA_12 = "525.60.13";
    private static final String FIELDS = "index,name,driver_version,memory.total";

    /** One GPU: its index (what {@code cuda:N} means), name, memory in MiB, compute capability ("9.0"). */
    public record Gpu(int index, String name, long memoryMiB, String computeCapability) {
    }

    /** Asks {@code nvidia-smi} (at most 15 s). */
    public static NvidiaSmi query() {
        return query("nvidia-smi");
    }

    static NvidiaSmi query(String executable) {
        NvidiaSmi withCapability = query(executable, FIELDS + ",compute_cap");
        // Drivers older than 510 do not know the compute_cap field.
        boolean unknownField = withCapability.problem().map(p -> p.contains("compute_cap")).orElse(false);
        return unknownField ? query(executable, FIELDS) : withCapability;
    }

    private static NvidiaSmi query(String executable, String fields) {
        String out;
        try {
            Process p = new ProcessBuilder(executable, "--query-gpu=" + fields, "--format=csv,noheader,nounits")
                    .redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return failed("nvidia-smi did not answer within 15 s");
            }
            if (p.exitValue() != 0) {
                return failed("nvidia-smi failed (exit status " + p.exitValue() + "): " + firstLine(out));
            }
        } catch (IOException e) {
            return failed("no nvidia-smi on the PATH (it comes with the NVIDIA driver)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted while running nvidia-smi");
        }
        return parse(out);
    }

    /** Parses {@code index, name, driver_version, memory.total, compute_cap} lines. */
    static NvidiaSmi parse(String csv) {
        List<Gpu> gpus = new ArrayList<>();
        String driver = "";
        for (String line : csv.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split(",\\s*");
            if (f.length < 4) return failed("nvidia-smi answered something unexpected: " + firstLine(line));
            try {
                gpus.add(new Gpu(Integer.parseInt(f[0].trim()), f[1].trim(), Long.parseLong(f[3].trim()),
                        f.length > 4 ? f[4].trim() : ""));
            } catch (NumberFormatException e) {
                return failed("nvidia-smi answered something unexpected: " + firstLine(line));
            }
            driver = f[2].trim();
        }
        return new NvidiaSmi(List.copyOf(gpus), driver, Optional.empty());
    }

    private static NvidiaSmi failed(String problem) {
        return new NvidiaSmi(List.of(), "", Optional.of(problem));
    }

    public Optional<Gpu> gpu(int index) {
        return gpus.stream().filter(g -> g.index() == index).findFirst();
    }

    /** Whether the driver is new enough for CUDA 12; true when its version is unknown (the probe will tell). */
    public boolean driverSupportsCuda12() {
        return driver.isEmpty() || compareVersions(driver, MIN_DRIVER_CUDA_12) >= 0;
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? parseOrZero(x[i]) : 0;
            int q = i < y.length ? parseOrZero(y[i]) : 0;
            if (p != q) return Integer.compare(p, q);
        }
        return 0;
    }

    private static int parseOrZero(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
