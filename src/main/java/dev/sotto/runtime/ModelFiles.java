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
 * in a sherpa-onnx style directory: {@code ROLE.onnx} / {@code ROLE.int8.onnx}, or
 * icefall's {@code ROLE-epoch-...onnx} / {@code ...int8.onnx}. When both precisions are
 * there, int8 wins on the CPU (faster) and fp32 on CUDA (int8 dynamic quantisation runs
 * badly there).
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    public static boolean has(Path dir, String role) {
        return !candidates(dir, role).isEmpty();
    }

    public static Path pick(Path dir, String role, boolean preferInt8) {
        List<Path> all = candidates(dir, role);
        if (all.isEmpty()) {
            throw new SottoException(dir + ": no " + role + " model (" + role + ".onnx or " + role + ".int8.onnx) in this directory");
        }
        List<Path> int8 = all.stream().filter(ModelFiles::isInt8).toList();
        List<Path> fp32 = all.stream().filter(p -> !isInt8(p)).toList();
        List<Path> preferred = preferInt8 ? (int8.isEmpty() ? fp32 : int8) : (fp32.isEmpty() ? int8 : fp32);
        if (preferred.size() > 1) {
            throw new SottoException(dir + ": several " + role + " models, cannot tell which to use: " + preferred
                    + ". Keep one per precision in the directory.");
        }
        return preferred.get(0);
    }

    static boolean isInt8(Path p) {
        return p.getFileName().toString().endsWith(".int8.onnx");
    }

    private static List<Path> candidates(Path dir, String role) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).forEach(p -> {
                String name = p.getFileName().toString();
                String stem = name.endsWith(".int8.onnx") ? name.substring(0, name.length() - 10)
                        : name.endsWith(".onnx") ? name.substring(0, name.length() - 5) : null;
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
