package dev.sotto.runtime.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where this machine's dynamic loader would find a library by its soname, looking where
 * {@code dlopen} looks, in its order: the directories of {@code LD_LIBRARY_PATH}, the
 * {@code ldconfig} cache, then the default directories. It only looks (nothing is loaded),
 * so a report can say which file would be used and which version it is.
 */
public final class LibrarySearch {
    private static final List<Path> DEFAULT_DIRS = List.of(Path.of("/lib/x86_64-linux-gnu"),
            Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/lib64"), Path.of("/usr/lib64"), Path.of("/lib"),
            Path.of("/usr/lib"));
    /** {@code ldconfig -p} lines: {@code \tlibcudart.so.12 (libc6,x86-64) => /usr/local/cuda/lib64/libcudart.so.12}. */
    private static final Pattern LDCONFIG_LINE = Pattern.compile("^\\s*(\\S+)\\s+\\(([^)]*)\\)\\s+=>\\s+(\\S.*)$");

    /** A library found: the path the loader opens, the file it leads to, and the version that file's name gives. */
    public record Found(Path path, Path file, String version, String via) {
    }

    private final List<Path> libraryPath;
    private final Map<String, Path> ldconfigCache;
    private final List<Path> defaultDirs;

    public LibrarySearch(List<Path> libraryPath, Map<String, Path> ldconfigCache, List<Path> defaultDirs) {
        this.libraryPath = List.copyOf(libraryPath);
        this.ldconfigCache = Map.copyOf(ldconfigCache);
        this.defaultDirs = List.copyOf(defaultDirs);
    }

    /** The search this process's loader does: its LD_LIBRARY_PATH, the system's ldconfig cache, the default directories. */
    public static LibrarySearch system() {
        return new LibrarySearch(splitPath(System.getenv("LD_LIBRARY_PATH")), ldconfigCache(), DEFAULT_DIRS);
    }

    /** A search of these directories only, in order (tests, and a directory named by the user). */
    public static LibrarySearch of(List<Path> dirs) {
        return new LibrarySearch(dirs, Map.of(), List.of());
    }

    public Optional<Found> find(String soname) {
        for (Path dir : libraryPath) {
            Path p = dir.resolve(soname);
            if (Files.exists(p)) return Optional.of(found(p, "LD_LIBRARY_PATH"));
        }
        Path cached = ldconfigCache.get(soname);
        if (cached != null && Files.exists(cached)) return Optional.of(found(cached, "ldconfig"));
        for (Path dir : defaultDirs) {
            Path p = dir.resolve(soname);
            if (Files.exists(p)) return Optional.of(found(p, "default directory"));
        }
        return Optional.empty();
    }

    private static Found found(Path path, String via) {
        Path file;
        try {
            file = path.toRealPath();
        } catch (IOException e) {
            file = path;
        }
        return new Found(path, file, versionOf(path.getFileName().toString(), file.getFileName().toString()), via);
    }

    /**
     * The version a library's file name gives: {@code libcudnn.so.9} pointing at
     * {@code libcudnn.so.9.5.1} is 9.5.1. When the file carries no more than its soname, the
     * soname's own number (12 for {@code libcudart.so.12}).
     */
    static String versionOf(String soname, String fileName) {
        String base = soname.substring(0, soname.indexOf(".so") + 3);
        String name = fileName.startsWith(base + ".") ? fileName : soname;
        return name.length() > base.length() ? name.substring(base.length() + 1) : "";
    }

    static List<Path> splitPath(String value) {
        List<Path> dirs = new ArrayList<>();
        if (value == null) return dirs;
        for (String part : value.split(":")) {
            if (!part.isBlank()) dirs.add(Path.of(part));
        }
        return dirs;
    }

    /** soname → path of the x86-64 libraries in {@code ldconfig -p}'s output. */
    static Map<String, Path> parseLdconfig(String output) {
        Map<String, Path> map = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            Matcher m = LDCONFIG_LINE.matcher(line);
            if (m.matches() && m.group(2).contains("x86-64")) map.putIfAbsent(m.group(1), Path.of(m.group(3).trim()));
        }
        return map;
    }

    /** The system's ldconfig cache, or nothing when ldconfig cannot be run (it is often outside a user's PATH). */
    private static Map<String, Path> ldconfigCache() {
        for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig")) {
            if (ldconfig.startsWith("/") && !Files.isExecutable(Path.of(ldconfig))) continue;
            try {
                Process p = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) return parseLdconfig(out);
            } catch (IOException e) {
                // not this one: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Map.of();
    }
}
