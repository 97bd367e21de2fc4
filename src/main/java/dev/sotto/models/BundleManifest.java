package dev.sotto.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The first entry of a bundle ({@value #ENTRY}): the models it carries, each with its catalogue
 * entry (so a site whose catalogue lacks the model still knows what it is) and every file's
 * path, size and sha256. The files follow as {@code models/NAME/PATH}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleManifest(int format, String createdAt, String createdBy, List<Model> models) {
    static final String ENTRY = "sotto-bundle.json";
    /** A manifest larger than this is not one. */
    static final int MAX_BYTES = 16 << 20;

    public BundleManifest {
        models = List.copyOf(models);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Model(String name, String source, CatalogueEntry entry, List<FileDigest> files) {
        public Model {
            files = List.copyOf(files);
        }

        long bytes() {
            return files.stream().mapToLong(FileDigest::size).sum();
        }
    }

    static String entryName(String model, String path) {
        return "models/" + model + "/" + path;
    }
}
