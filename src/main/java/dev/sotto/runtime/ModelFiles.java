package dev.sotto.runtime;

import dev.sotto.SottoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the ONNX file that plays a role ({@code encoder}, {@code decoder}, {@code joiner})
 * in a sherpa-onnx style directory: {@code ROLE.onnx} / {@code ROLE.int8.onnx} /
 * {@code ROLE.fp16.onnx}, or icefall's {@code ROLE-epoch-...onnx} with the same suffixes.
 * When several precisions are there, a preference order picks one ({@link #preference}).
 */
public final class ModelFiles {
    /** The precision a file's name announces. */
    public enum Precision {
        INT8(".int8.onnx"), FP16(".fp16.onnx"), FP32(".onnx");

        private final String suffix;

        Precision(String suffix) {
            this.suffix = suffix;
        }

        static Precision of(Path p) {
            String name = p.getFileName().toString();
            return name.endsWith(INT8.suffix) ? INT8 : name.endsWith(FP16.suffix) ? FP16 : FP32;
        }
    }

    private ModelFiles() {
    }

    /**
     * Which precision to load first. On a GPU: fp16 (what GPU packages ship, and what tensor
     * cores run), then fp32; int8 last, as dynamic int8 quantisation runs badly on CUDA. On
     * the CPU: int8 first when {@code int8OnCpu} (faster), else fp32; fp16 last, as ONNX
     * Runtime's CPU provider runs most fp16 nodes by casting them to fp32 and back.
     */
    public static List<Precision> preference(boolean gpu, boolean int8OnCpu) {
        if (gpu) return List.of(Precision.FP16, Precision.FP32, Precision.INT8);
        return int8OnCpu ? List.of(Precision.INT8, Precision.FP32, Precision.FP16)
                : List.of(Precision.FP32, Precision.INT8, Precision.FP16);
    }

    public static boolean has(Path dir, String role) {
        return !candidates(dir, role).isEmpty();
    }

    /** Any file of the role (its metadata is the same in every precision): the CPU's choice. */
    public static Path any(Path dir, String role) {
        return pick(dir, role, preference(false, true));
    }

    public static Path pick(Path dir, String role, List<Precision> order) {
        List<Path> all = candidates(dir, role);
        if (all.isEmpty()) {
            throw new SottoException(dir + ": no " + role + " model (" + role + ".onnx, " + role + ".int8.onnx or "
                    + role + ".fp16.onnx) in this directory");
        }
        for (Precision precision : order) {
            List<Path> files = all.stream().filter(p -> Precision.of(p) == precision).toList();
            if (files.size() > 1) {
                throw new SottoException(dir + ": several " + role + " models, cannot tell which to use: " + files
                        + ". Keep one per precision in the directory.");
            }
            if (!files.isEmpty()) return files.get(0);
        }
        return all.get(0);
    }

    private static List<Path> candidates(Path dir, String role) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).forEach(p -> {
                String name = p.getFileName().toString();
                String suffix = Precision.of(p).suffix;
                String stem = name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : null;
                if (stem != null && (stem.equals(role) || (stem.startsWith(role + "-") && !stem.contains(".")))) {
                    out.add(p);
                }
            });
        } catch (IOException e) {
            throw new SottoException(dir + ": cannot list the model directory: " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }
}
