package dev.sotto.models;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * One file a model is made of. An archive ({@code path} absent) is unpacked into the model
 * directory, or its {@code into} subdirectory, without its top directory {@code root}; a plain
 * file is saved at {@code path}. {@code size} and {@code sha256} are null where unknown;
 * {@code sha256From} says who recorded the sum.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CatalogueFile(String url, String root, String into, String path, Long size, String sha256,
                            String sha256From) {

    @JsonIgnore
    public boolean isArchive() {
        return path == null;
    }

    /** The last segment of the URL: the name it is downloaded under. */
    public String fileName() {
        String p = URI.create(url).getPath();
        return URLDecoder.decode(p.substring(p.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
    }

    /** Where the file goes inside the downloads directory of its model. */
    String downloadName() {
        return isArchive() ? fileName() : path.replace('/', '_');
    }

    /** The archive format, from the file name; null for a plain file or an unknown suffix. */
    ArchiveFormat format() {
        return isArchive() ? ArchiveFormat.of(fileName()) : null;
    }

    /** The subdirectory of the model directory the archive unpacks into ("" = the model directory itself). */
    String intoOrTop() {
        return into == null ? "" : into;
    }
}
