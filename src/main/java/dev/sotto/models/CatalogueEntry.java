package dev.sotto.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A model the catalogue knows: what it is ({@code family}, {@code layout}, languages, chunk
 * sizes, licence, where it comes from) and the files it is made of. {@code runs} is false for
 * models Sotto can store but not decode yet; {@code verified} is false for entries whose files
 * nobody has downloaded and checked against this catalogue.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CatalogueEntry(String name, String title, String family, String layout, List<String> languages,
                             List<Integer> chunkMs, String licence, String origin, boolean runs, boolean verified,
                             String notes, List<CatalogueFile> files) {

    public CatalogueEntry {
        languages = languages == null ? List.of() : List.copyOf(languages);
        chunkMs = chunkMs == null ? List.of() : List.copyOf(chunkMs);
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** The download size in bytes, or -1 when a file's size is not in the catalogue. */
    public long downloadBytes() {
        long total = 0;
        for (CatalogueFile f : files) {
            if (f.size() == null) return -1;
            total += f.size();
        }
        return total;
    }

    /** The bytes of the files whose size is known (a lower bound of the download). */
    public long knownBytes() {
        return files.stream().filter(f -> f.size() != null).mapToLong(CatalogueFile::size).sum();
    }
}
