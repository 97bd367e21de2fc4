package dev.sotto.nemo;

import dev.sotto.SottoException;
import dev.sotto.runtime.OnnxMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A directory of exports of one model at several chunk sizes (sherpa-onnx publishes one
 * package per size), each identified by its encoder's {@code chunk_size_ms}. Picks one by
 * size or by the acceleration names of fal's endpoints: English none/low/medium/high =
 * 1120/560/160/80 ms, multilingual none/regular/high/full = 1120/560/320/80 ms.
 */
final class NemoFamily {
    static final Map<String, Integer> ENGLISH = Map.of("none", 1120, "low", 560, "medium", 160, "high", 80);
    static final Map<String, Integer> MULTILINGUAL = Map.of("none", 1120, "regular", 560, "high", 320, "full", 80);
    /** With no size asked for: the trained chunk, and the most accurate. */
    static final int DEFAULT_MS = 1120;

    private NemoFamily() {
    }

    /** Whether dir has no model of its own but subdirectories with NeMo streaming exports. */
    public static boolean isFamily(Path dir) {
        return NemoModel.mainFile(dir) == null && !exports(dir).isEmpty();
    }

    /** The chunk sizes of the exports in a family directory, in ms, with their directories. */
    public static Map<Integer, Path> exports(Path dir) {
        Map<Integer, Path> out = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path sub : entries.filter(Files::isDirectory).sorted().toList()) {
                Path main = NemoModel.mainFile(sub);
                if (main == null || !OnnxMetadata.read(main).containsKey("window_size")) continue;
                int ms = chunkMs(sub);
                Path previous = out.put(ms, sub);
                if (previous != null) {
                    throw new SottoException(dir + ": two exports with chunk_size_ms " + ms + ": " + previous + " and " + sub);
                }
            }
        } catch (IOException e) {
            throw new SottoException(dir + ": cannot list the directory: " + e.getMessage(), e);
        }
        return out;
    }

    /** The chunk size of one export directory (its encoder's chunk_size_ms, or chunk_shift x 10 ms). */
    public static int chunkMs(Path modelDir) {
        Map<String, String> meta = OnnxMetadata.read(NemoModel.mainFile(modelDir));
        return meta.containsKey("chunk_size_ms") ? Integer.parseInt(meta.get("chunk_size_ms").trim())
                : Integer.parseInt(meta.get("chunk_shift").trim()) * 10;
    }

    static boolean multilingual(Path modelDir) {
        return OnnxMetadata.read(NemoModel.mainFile(modelDir)).containsKey("prompt_dictionary");
    }

    /**
     * The export to load from a family directory: by {@code chunkMs} (0 = not set), else by
     * {@code acceleration} (null = not set), else the 1120 ms one (or the largest there is).
     */
    public static Path select(Path dir, int chunkMs, String acceleration) {
        Map<Integer, Path> exports = exports(dir);
        if (exports.isEmpty()) throw new SottoException(dir + ": no NeMo streaming exports in its subdirectories");
        boolean multilingual = multilingual(exports.values().iterator().next());
        Map<String, Integer> names = multilingual ? MULTILINGUAL : ENGLISH;
        int wanted = chunkMs;
        if (wanted == 0 && acceleration != null) {
            Integer ms = names.get(acceleration.toLowerCase(Locale.ROOT));
            if (ms == null) {
                throw new SottoException("unknown acceleration '" + acceleration + "' for this " + (multilingual ? "multilingual" : "English")
                        + " model: use " + describe(names));
            }
            wanted = ms;
        }
        if (wanted == 0) wanted = exports.containsKey(DEFAULT_MS) ? DEFAULT_MS : ((TreeMap<Integer, Path>) exports).lastKey();
        Path chosen = exports.get(wanted);
        if (chosen == null) {
            throw new SottoException(dir + " has no " + wanted + " ms export"
                    + (acceleration != null && chunkMs == 0 ? " (acceleration " + acceleration + ")" : "")
                    + ". Chunk sizes available: " + available(exports, names));
        }
        return chosen;
    }

    /** Sizes with their acceleration names, e.g. "80 ms (high), 160 ms (medium)". */
    static String available(Map<Integer, Path> exports, Map<String, Integer> names) {
        return exports.keySet().stream().map(ms -> {
            String name = names.entrySet().stream().filter(e -> e.getValue().equals(ms)).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
            return ms + " ms" + (name == null ? "" : " (" + name + ")");
        }).collect(Collectors.joining(", "));
    }

    private static String describe(Map<String, Integer> names) {
        return names.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(e -> e.getKey() + " = " + e.getValue() + " ms").collect(Collectors.joining(", "));
    }

    /** For a single export directory asked for a size: checks it is that size. */
    public static void checkSingle(Path modelDir, int chunkMs, String acceleration) {
        if (chunkMs == 0 && acceleration == null) return;
        int ms = chunkMs(modelDir);
        Map<String, Integer> names = multilingual(modelDir) ? MULTILINGUAL : ENGLISH;
        int wanted = chunkMs != 0 ? chunkMs : names.getOrDefault(acceleration.toLowerCase(Locale.ROOT), -1);
        if (wanted != ms) {
            throw new SottoException(modelDir + " is a single " + ms + " ms export; it cannot run "
                    + (chunkMs != 0 ? chunkMs + " ms chunks" : "acceleration " + acceleration)
                    + ". Point --model at a directory holding one export per chunk size to choose. Available: "
                    + available(Map.of(ms, modelDir), names));
        }
    }
}
