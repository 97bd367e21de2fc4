package dev.sotto.runtime.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JavaCPP's redistributable CUDA jar ({@code org.bytedeco:cuda:12.6-9.5-1.5.11:linux-x86_64-redist},
 * brought by the {@code gpu} Maven profile) on the class path: the CUDA and cuDNN libraries
 * inside it, and their copies in JavaCPP's cache directory.
 *
 * <p>Files are extracted with the layout and the up-to-date rule of JavaCPP's own
 * {@code Loader.cacheResource} ({@code CACHE/JAR-NAME/org/bytedeco/cuda/linux-x86_64/NAME},
 * same size and modification time as the jar entry), so each finds the other's files and a
 * library is extracted once per machine. The extraction is done here rather than through the
 * Loader so that tests can point it at a temporary cache.
 */
public final class CudaRedist {
    static final String DIRECTORY = "org/bytedeco/cuda/linux-x86_64/";
    /** {@code cuda-12.6-9.5-1.5.11-linux-x86_64-redist.jar}: CUDA 12.6, cuDNN 9.5. */
    private static final Pattern JAR_NAME = Pattern.compile("cuda-(\\d+\\.\\d+)-(\\d+\\.\\d+)-[\\d.]+-.*redist\\.jar");

    private final ClassLoader classLoader;
    private final Path cacheRoot;

    public CudaRedist(ClassLoader classLoader, Path cacheRoot) {
        this.classLoader = classLoader;
        this.cacheRoot = cacheRoot;
    }

    /** The jar on this application's class path, extracting to JavaCPP's cache (~/.javacpp/cache). */
    public static CudaRedist onClassPath() {
        Path root;
        try {
            root = org.bytedeco.javacpp.Loader.getCacheDir().toPath();
        } catch (IOException e) {
            root = Path.of(System.getProperty("user.home"), ".javacpp", "cache");
        }
        return new CudaRedist(CudaRedist.class.getClassLoader(), root);
    }

    /** Whether the jar is on the class path (its CUDA runtime is the test). */
    public boolean present() {
        return resource(CudaLibrary.CUDART.soname()) != null;
    }

    public boolean contains(String fileName) {
        return resource(fileName) != null;
    }

    /** The jar file, when present. */
    public Optional<Path> jar() {
        URL url = resource(CudaLibrary.CUDART.soname());
        if (url == null) return Optional.empty();
        try {
            URLConnection c = url.openConnection();
            if (c instanceof JarURLConnection jar) return Optional.of(Path.of(jar.getJarFileURL().toURI()));
        } catch (IOException | java.net.URISyntaxException | IllegalArgumentException e) {
            // not a jar on the local disk: no path to show
        }
        return Optional.empty();
    }

    /** "CUDA 12.6, cuDNN 9.5", read from the jar's name; "unknown version" when it was renamed. */
    public String versions() {
        Optional<Path> jar = jar();
        if (jar.isPresent()) {
            Matcher m = JAR_NAME.matcher(jar.get().getFileName().toString());
            if (m.matches()) return "CUDA " + m.group(1) + ", cuDNN " + m.group(2);
        }
        return "unknown version";
    }

    /** The directory the libraries are extracted to. */
    public Path cacheDirectory() {
        String jarName = jar().map(p -> p.getFileName().toString()).orElse("cuda-redist");
        return cacheRoot.resolve(jarName).resolve(DIRECTORY);
    }

    /** The extracted copy of a library, if it is there and up to date (nothing is extracted). */
    public Optional<Path> cached(String fileName) {
        URL url = resource(fileName);
        if (url == null) return Optional.empty();
        Path target = cacheDirectory().resolve(fileName);
        try {
            JarEntry entry = entry(url);
            return upToDate(target, entry) ? Optional.of(target) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The extracted copy of a library, extracting it first if needed. */
    public Path extract(String fileName) throws IOException {
        URL url = resource(fileName);
        if (url == null) throw new IOException(fileName + " is not in the CUDA jar " + jar().map(Path::toString).orElse(""));
        Path target = cacheDirectory().resolve(fileName);
        JarEntry entry = entry(url);
        if (upToDate(target, entry)) return target;
        Files.createDirectories(target.getParent());
        // Written beside the target and renamed: another JVM extracting at the same time never sees half a file.
        Path part = Files.createTempFile(target.getParent(), fileName, ".part");
        try (InputStream in = url.openStream()) {
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(part, FileTime.fromMillis(entry.getTime()));
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(part);
        }
        return target;
    }

    /** The size of a library in the jar, uncompressed (0 when absent). */
    public long size(String fileName) {
        URL url = resource(fileName);
        if (url == null) return 0;
        try {
            return entry(url).getSize();
        } catch (IOException e) {
            return 0;
        }
    }

    private URL resource(String fileName) {
        return classLoader.getResource(DIRECTORY + fileName);
    }

    private static JarEntry entry(URL url) throws IOException {
        URLConnection c = url.openConnection();
        if (!(c instanceof JarURLConnection jar)) throw new IOException(url + " is not inside a jar");
        return jar.getJarEntry();
    }

    private static boolean upToDate(Path target, JarEntry entry) throws IOException {
        return Files.isRegularFile(target) && Files.size(target) == entry.getSize()
                && Files.getLastModifiedTime(target).toMillis() == entry.getTime();
    }
}
