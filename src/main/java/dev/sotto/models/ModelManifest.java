package dev.sotto.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sotto.SottoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What Sotto wrote into a model directory when it installed it ({@value #FILE}): where it came
 * from, the catalogue entry it was installed by, and every file with its size and sha256, so
 * {@code models verify} and {@code models pack} can tell a damaged install from a good one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(int format, String name, String installedAt, String source, CatalogueEntry entry,
                            List<FileDigest> files) {
    public static final String FILE = ".sotto-model.json";

    public ModelManifest {
        files = List.copyOf(files);
    }

    public long bytes() {
        return files.stream().mapToLong(FileDigest::size).sum();
    }

    static ModelManifest read(Path modelDir) {
        Path file = modelDir.resolve(FILE);
        if (!Files.isRegularFile(file)) return null;
        try {
            return Json.LENIENT.readValue(file.toFile(), ModelManifest.class);
        } catch (IOException e) {
            throw new SottoException(file + ": unreadable install manifest (" + e.getMessage().lines().findFirst().orElse("")
                    + "): reinstall the model with `sotto models pull --force " + modelDir.getFileName() + "`", e);
        }
    }

    void write(Path modelDir) throws IOException {
        Files.write(modelDir.resolve(FILE), Json.LENIENT.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
    }
}
