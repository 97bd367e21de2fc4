package dev.sotto.eval;

import dev.sotto.SottoException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * An evaluation manifest: a UTF-8, tab-separated file whose header names the columns {@code path},
 * {@code lang} and {@code reference} (in any order; other columns are ignored). Each further line is one
 * utterance; {@code path} is relative to the manifest's own directory (or absolute). Blank lines are
 * skipped; a reference may be empty (audio with no speech).
 *
 * @param file    the manifest as given
 * @param entries the rows, in file order
 */
public record Manifest(Path file, List<Entry> entries) {

    static final List<String> REQUIRED = List.of("path", "lang", "reference");

    /**
     * One row.
     *
     * @param line      1-based line number in the manifest, for messages
     * @param path      the audio path as written in the manifest (what reports show)
     * @param audio     that path resolved against the manifest's directory
     * @param lang      the language code as written
     * @param reference the reference transcript as written
     */
    public record Entry(int line, String path, Path audio, String lang, String reference) {
    }

    public Manifest {
        entries = List.copyOf(entries);
    }

    /** Reads every row; fails if any listed audio file is missing. */
    public static Manifest read(Path file) {
        return read(file, null);
    }

    /**
     * Reads the rows of one language ({@code en} also selects {@code en-US}; null selects all). Only the
     * selected rows need their audio to exist. Fails if the selection is empty.
     */
    public static Manifest read(Path file, String language) {
        Manifest all = parse(file);
        Manifest selected = language == null ? all : all.filter(language);
        for (Entry e : selected.entries) {
            if (!Files.isRegularFile(e.audio())) {
                throw new SottoException(file + " line " + e.line() + ": audio file " + e.path() + " not found (looked for "
                        + e.audio().toAbsolutePath().normalize() + "); paths are relative to the manifest's directory");
            }
        }
        return selected;
    }

    /** The rows of one language; fails, listing the languages present, if there are none. */
    public Manifest filter(String language) {
        if (language == null || language.isBlank()) {
            throw new SottoException("empty language filter: give a code such as en");
        }
        List<Entry> kept = entries.stream().filter(e -> Languages.matches(e.lang(), language)).toList();
        if (kept.isEmpty()) {
            Set<String> present = new TreeSet<>();
            entries.forEach(e -> present.add(e.lang()));
            throw new SottoException(file + ": no rows with lang " + language + " (languages present: "
                    + String.join(", ", present) + ")");
        }
        return new Manifest(file, kept);
    }

    /** The distinct languages of the rows, in first-seen order. */
    public List<String> languages() {
        return entries.stream().map(Entry::lang).distinct().toList();
    }

    private static Manifest parse(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SottoException("manifest " + file + " not found", e);
        } catch (CharacterCodingException e) {
            throw new SottoException("manifest " + file + " is not valid UTF-8", e);
        } catch (IOException e) {
            throw new SottoException("cannot read manifest " + file + ": " + e.getMessage(), e);
        }
        int headerIndex = 0;
        while (headerIndex < lines.size() && lines.get(headerIndex).isBlank()) {
            headerIndex++;
        }
        if (headerIndex == lines.size()) {
            throw new SottoException("manifest " + file + " is empty: expected a header line \"path\\tlang\\treference\"");
        }
        String[] header = clean(lines.get(headerIndex)).split("\t", -1);
        for (int c = 0; c < header.length; c++) {
            header[c] = header[c].strip().toLowerCase(Locale.ROOT);
        }
        List<String> names = Arrays.asList(header);
        List<String> missing = REQUIRED.stream().filter(r -> !names.contains(r)).toList();
        if (!missing.isEmpty()) {
            throw new SottoException("manifest " + file + " line " + (headerIndex + 1) + ": missing column"
                    + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + "; the header must name the "
                    + "tab-separated columns path, lang, reference (found: " + String.join(" | ", header) + ")");
        }
        int pathCol = names.indexOf("path");
        int langCol = names.indexOf("lang");
        int refCol = names.indexOf("reference");

        Path dir = file.toAbsolutePath().getParent();
        List<Entry> entries = new ArrayList<>();
        for (int i = headerIndex + 1; i < lines.size(); i++) {
            String line = clean(lines.get(i));
            if (line.isBlank()) {
                continue;
            }
            int lineNo = i + 1;
            String[] fields = line.split("\t", -1);
            if (fields.length > header.length && line.substring(nthTab(line, header.length)).isBlank()) {
                fields = Arrays.copyOf(fields, header.length); // stray trailing tabs from a spreadsheet
            }
            if (fields.length != header.length) {
                throw new SottoException("manifest " + file + " line " + lineNo + ": expected " + header.length
                        + " tab-separated fields (" + String.join(", ", header) + "), found " + fields.length);
            }
            String path = fields[pathCol].strip();
            String lang = fields[langCol].strip();
            if (path.isEmpty()) {
                throw new SottoException("manifest " + file + " line " + lineNo + ": empty path");
            }
            if (lang.isEmpty()) {
                throw new SottoException("manifest " + file + " line " + lineNo + ": empty lang");
            }
            Path audio;
            try {
                audio = dir.resolve(path);
            } catch (InvalidPathException e) {
                throw new SottoException("manifest " + file + " line " + lineNo + ": invalid path " + path, e);
            }
            entries.add(new Entry(lineNo, path, audio, lang, fields[refCol].strip()));
        }
        if (entries.isEmpty()) {
            throw new SottoException("manifest " + file + " has a header but no rows");
        }
        return new Manifest(file, entries);
    }

    private static int nthTab(String s, int n) {
        int at = -1;
        for (int k = 0; k < n; k++) {
            at = s.indexOf('\t', at + 1);
        }
        return at;
    }

    /** Drops a byte-order mark and a Windows line end. */
    private static String clean(String line) {
        String s = line.startsWith("\uFEFF") ? line.substring(1) : line;
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
