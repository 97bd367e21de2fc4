package dev.sotto.models;

import dev.sotto.SottoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What {@code --model} means: an existing directory (as before), else a model name: the
 * cache's copy, pulled first when the catalogue knows the name and it is not installed yet
 * (unless offline). A path that exists always wins over a name.
 */
public final class ModelResolver {
    private final ModelSettings settings;
    private final Reporter reporter;
    private final ModelCache cache;

    public ModelResolver(ModelSettings settings, Reporter reporter) {
        this.settings = settings;
        this.reporter = reporter;
        this.cache = new ModelCache(settings);
    }

    /** The model directory {@code argument} names (a directory, or a model name). */
    public Path resolve(String argument) {
        Path path = asExistingPath(argument);
        if (path != null) return path;
        if (!Catalogue.NAME.matcher(argument).matches()) {
            throw new SottoException(argument + ": no such model directory" + (argument.contains("/") ? ""
                    : ", and not a model name (`sotto models list` shows them)"));
        }
        Optional<InstalledModel> installed = cache.installed(argument);
        if (installed.isPresent()) {
            refuseUnrunnable(installed.get().manifest() == null ? null : installed.get().manifest().entry());
            return installed.get().directory();
        }
        Catalogue catalogue = Catalogue.load(settings);
        CatalogueEntry entry = catalogue.find(argument).orElseThrow(() -> new SottoException(argument
                + ": neither a model directory nor a model name: `sotto models list` shows the names"));
        refuseUnrunnable(entry);
        if (!settings.offline()) {
            reporter.info("model '" + argument + "' is not installed: pulling it"
                    + (entry.downloadBytes() > 0 ? " (" + Bytes.human(entry.downloadBytes()) + ")" : "")
                    + " into " + cache.modelsDir() + " (SOTTO_OFFLINE=1 prevents this)");
        }
        return new ModelPull(settings, catalogue, reporter).pull(argument, false, false).directory();
    }

    /**
     * A single file: {@code argument} itself when it is a file, else the one {@code .onnx}
     * file of the model it names (for {@code --vad-model silero-vad}).
     */
    public Path resolveFile(String argument) {
        Path path = asExistingPath(argument);
        if (path != null && Files.isRegularFile(path)) return path;
        Path dir = path != null ? path : resolve(argument);
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> onnx = files.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().toList();
            if (onnx.size() == 1) return onnx.get(0);
            throw new SottoException(argument + ": expected one .onnx file in " + dir + ", found " + onnx.size());
        } catch (IOException e) {
            throw new SottoException(dir + ": cannot list the directory: " + e.getMessage(), e);
        }
    }

    private static Path asExistingPath(String argument) {
        try {
            Path p = Path.of(argument);
            return Files.exists(p) ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static void refuseUnrunnable(CatalogueEntry entry) {
        if (entry != null && !entry.runs()) {
            throw new SottoException(entry.name() + ": Sotto cannot run this model yet" + (entry.notes() != null
                    ? " (" + entry.notes() + ")" : ""));
        }
    }
}
