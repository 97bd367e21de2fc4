package dev.sotto.models;

import dev.sotto.SottoException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The models Sotto can fetch by name: {@code models/catalogue.json} (carried in the jar), or
 * the file {@code SOTTO_MODEL_CATALOG} names. Checked as it is read, so a typo in a catalogue
 * is reported with the model and field rather than found half-way through a download.
 */
public final class Catalogue {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String RESOURCE = "/dev/sotto/models/catalogue.json";

    private record Document(int format, List<String> about, List<CatalogueEntry> models) {
    }

    private final String source;
    private final Map<String, CatalogueEntry> entries = new LinkedHashMap<>();

    private Catalogue(String source, List<CatalogueEntry> models) {
        this.source = source;
        for (CatalogueEntry e : models) {
            check(e);
            if (entries.put(e.name(), e) != null) throw invalid(e.name(), "the name appears twice");
        }
    }

    /** The catalogue the settings name, or the one built into Sotto. */
    public static Catalogue load(ModelSettings settings) {
        if (settings.catalogueFile() != null) return read(settings.catalogueFile());
        try (InputStream in = Catalogue.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new SottoException("the built-in model catalogue is missing from the jar (" + RESOURCE + ")");
            return parse("the built-in catalogue", in);
        } catch (IOException e) {
            throw new SottoException("cannot read the built-in model catalogue: " + e.getMessage(), e);
        }
    }

    public static Catalogue read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(file.toString(), in);
        } catch (IOException e) {
            throw new SottoException(file + ": cannot read the model catalogue (SOTTO_MODEL_CATALOG): " + e.getMessage(), e);
        }
    }

    private static Catalogue parse(String source, InputStream in) throws IOException {
        Document doc;
        try {
            doc = Json.STRICT.readValue(in, Document.class);
        } catch (IOException e) {
            throw new SottoException(source + ": not a valid model catalogue: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (doc.format() != 1) throw new SottoException(source + ": catalogue format " + doc.format() + " is not 1");
        return new Catalogue(source, doc.models() == null ? List.of() : doc.models());
    }

    public List<CatalogueEntry> entries() {
        return List.copyOf(entries.values());
    }

    public Optional<CatalogueEntry> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    public CatalogueEntry require(String name) {
        return find(name).orElseThrow(() -> new SottoException("no model called '" + name + "' in " + source
                + ": `sotto models list` shows the names"));
    }

    private void check(CatalogueEntry e) {
        if (e.name() == null || !NAME.matcher(e.name()).matches()) {
            throw invalid(String.valueOf(e.name()), "name: use lower-case letters, digits, '.', '_' and '-'");
        }
        if (e.family() == null || e.family().isBlank()) throw invalid(e.name(), "family is missing");
        if (e.files().isEmpty()) throw invalid(e.name(), "files: a model needs at least one file");
        Set<String> downloads = new HashSet<>();
        for (CatalogueFile f : e.files()) {
            checkFile(e.name(), f);
            if (!downloads.add(f.downloadName())) throw invalid(e.name(), f.url() + ": two files download under the same name");
        }
    }

    private void checkFile(String model, CatalogueFile f) {
        URI uri;
        try {
            uri = URI.create(f.url() == null ? "" : f.url());
        } catch (IllegalArgumentException ex) {
            throw invalid(model, "url " + f.url() + ": " + ex.getMessage());
        }
        if (!List.of("https", "http", "file").contains(String.valueOf(uri.getScheme()))) {
            throw invalid(model, "url " + f.url() + ": only https, http and file URLs");
        }
        if (f.sha256() != null && !SHA256.matcher(f.sha256()).matches()) {
            throw invalid(model, f.url() + ": sha256 must be 64 lower-case hex digits");
        }
        if (f.sha256() != null && (f.sha256From() == null || f.sha256From().isBlank())) {
            throw invalid(model, f.url() + ": sha256From must say who recorded the sha256");
        }
        if (f.size() != null && f.size() < 0) throw invalid(model, f.url() + ": size is negative");
        if (f.isArchive()) {
            if (f.format() == null) {
                throw invalid(model, f.url() + ": not a .tar.bz2, .tar.gz, .tar or .zip archive; a plain file needs a 'path'");
            }
            if (f.into() != null && !f.into().isEmpty() && SafePaths.problem(f.into()) != null) {
                throw invalid(model, f.url() + ": into: " + SafePaths.problem(f.into()));
            }
            if (f.root() != null && SafePaths.problem(f.root()) != null) {
                throw invalid(model, f.url() + ": root: " + SafePaths.problem(f.root()));
            }
        } else if (SafePaths.problem(f.path()) != null || f.path().startsWith(".")) {
            throw invalid(model, f.url() + ": path '" + f.path() + "': "
                    + (SafePaths.problem(f.path()) != null ? SafePaths.problem(f.path()) : "must not start with '.'"));
        }
    }

    private SottoException invalid(String model, String what) {
        return new SottoException(source + ": model '" + model + "': " + what);
    }
}
