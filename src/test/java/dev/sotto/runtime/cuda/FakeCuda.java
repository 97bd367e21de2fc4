package dev.sotto.runtime.cuda;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Fake CUDA installations for the tests: library directories and a JavaCPP redist jar of stub files. */
final class FakeCuda {
    static final String JAR_NAME = "cuda-12.6-9.5-1.5.11-linux-x86_64-redist.jar";

    private FakeCuda() {
    }

    /**
     * A directory with the libraries {@code keep} accepts, each soname a link to a file named with
     * the full version (libcudart.so.12 -> libcudart.so.12.6.77), as CUDA's packages install them.
     */
    static Path libraryDir(Path dir, Predicate<CudaLibrary> keep, boolean driver) throws IOException {
        Files.createDirectories(dir);
        for (CudaLibrary lib : CudaLibrary.values()) {
            if (!keep.test(lib)) continue;
            String full = lib.soname() + (lib.kit() == CudaLibrary.Kit.CUDA ? ".6.77" : ".5.1");
            Files.writeString(dir.resolve(full), "stub");
            Files.createSymbolicLink(dir.resolve(lib.soname()), Path.of(full));
        }
        if (driver) Files.writeString(dir.resolve(CudaLibrary.DRIVER), "stub");
        return dir;
    }

    /** JavaCPP's jar with stub files for the libraries {@code keep} accepts (plus NVRTC's builtins). */
    static Path redistJar(Path dir, Predicate<CudaLibrary> keep) throws IOException {
        Path jar = dir.resolve(JAR_NAME);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (CudaLibrary lib : CudaLibrary.values()) {
                if (keep.test(lib)) put(out, lib.soname());
            }
            put(out, "libnvrtc-builtins.so.12.6");
        }
        return jar;
    }

    private static void put(JarOutputStream out, String name) throws IOException {
        JarEntry entry = new JarEntry(CudaRedist.DIRECTORY + name);
        entry.setTime(1_700_000_000_000L);
        out.putNextEntry(entry);
        out.write(("stub of " + name).getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    /** A redist over {@code jar} (or no jar) that extracts to {@code cache}; it sees nothing of the test's class path. */
    static CudaRedist redist(Path jar, Path cache) throws IOException {
        URL[] urls = jar == null ? new URL[0] : new URL[] {jar.toUri().toURL()};
        return new CudaRedist(new URLClassLoader(urls, null), cache);
    }

    static LibrarySearch search(Path... dirs) {
        return LibrarySearch.of(List.of(dirs));
    }
}
