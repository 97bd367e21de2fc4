package dev.sotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sotto.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The sotto command line run as a separate JVM, exactly as a user runs it: `sotto transcribe`
 * to get the transcripts the server must reproduce, and `sotto serve` as the server under test.
 * Tests run before `package`, so the JVM gets this test JVM's class path (target/classes and
 * every dependency) and the main class instead of target/sotto.jar.
 */
final class SottoProcess {
    static final Path MODEL = TestData.shared().resolve("models/zipformer-gigaspeech-3.3m");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SottoProcess() {
    }

    /**
     * {@code java dev.sotto.cli.Main ARGS} with this JVM's class path. The class path goes in the
     * CLASSPATH environment variable, not {@code -cp}: ONNX Runtime 1.29.0 crashes (SIGSEGV, exit 139,
     * no hs_err file) in {@code OrtEnvironment.getEnvironment()} when the java command line is longer
     * than about 3.8 KB, and the Maven test class path is longer than that.
     */
    static ProcessBuilder sotto(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "dev.sotto.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("CLASSPATH", cliClassPath());
        pb.environment().remove("SOTTO_API_KEYS");   // keys are the test's, on the command line
        return pb;
    }

    /**
     * This JVM's class path without Spark's jars (the `provided` ones the build lists in
     * target/spark.classpath): the CLI as `./sotto` runs it, not 150 jars it never ships with.
     */
    static String cliClassPath() {
        String classPath = System.getProperty("java.class.path");
        Path spark = Path.of("target", "spark.classpath");
        if (!Files.isRegularFile(spark)) return classPath;
        try {
            java.util.Set<String> provided = java.util.Set.of(Files.readString(spark).strip().split(java.io.File.pathSeparator));
            return String.join(java.io.File.pathSeparator, java.util.Arrays.stream(classPath.split(java.io.File.pathSeparator))
                    .filter(e -> !provided.contains(e)).toList());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs the CLI to completion and returns its stdout; fails the test with its stderr if it exits non-zero. */
    static String cli(Path workDir, String... args) {
        try {
            Path err = Files.createTempFile(workDir, "cli", ".err");
            Process p = sotto(args).directory(workDir.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("sotto " + String.join(" ", args) + " did not finish within 5 minutes");
            }
            assertEquals(0, p.exitValue(), () -> "sotto " + String.join(" ", args) + " failed:\n" + read(err));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last {@code lines} lines of a file. */
    static String tail(Path file, int lines) {
        List<String> all = read(file).lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e.getMessage() + ")";
        }
    }

    /** `sotto serve` on 127.0.0.1 and a free port; its stdout and stderr go to a log file. */
    static final class Server implements AutoCloseable {
        final int port;
        final Path log;
        private final Process process;
        private final Path tlsCert;   // null: plain HTTP

        private Server(int port, Path log, Process process, Path tlsCert) {
            this.port = port;
            this.log = log;
            this.process = process;
            this.tlsCert = tlsCert;
        }

        /** Starts the server without waiting for it: call {@link #awaitReady()} before using it. */
        static Server start(Path dataDir, Path logDir, String name, String... extraArgs) {
            return start(dataDir, logDir, name, null, null, extraArgs);
        }

        /**
         * Starts a server that speaks HTTPS/WSS only, with a PEM certificate and its PKCS#8 key
         * ({@code --tls-cert}, {@code --tls-key}); {@link #awaitReady()} trusts that certificate.
         */
        static Server startTls(Path dataDir, Path logDir, String name, Path cert, Path key, String... extraArgs) {
            return start(dataDir, logDir, name, cert, key, extraArgs);
        }

        private static Server start(Path dataDir, Path logDir, String name, Path cert, Path key, String... extraArgs) {
            int port = freePort();
            List<String> args = new ArrayList<>(List.of("serve", "--host", "127.0.0.1", "--port", String.valueOf(port),
                    "--data", dataDir.toString(), "--model", MODEL.toString()));
            if (cert != null) args.addAll(List.of("--tls-cert", cert.toString(), "--tls-key", key.toString()));
            args.addAll(List.of(extraArgs));
            try {
                Files.createDirectories(dataDir);
                Path log = logDir.resolve(name + "-" + port + ".log");
                Process p = sotto(args.toArray(String[]::new)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                p.getOutputStream().close();
                return new Server(port, log, p, cert);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String url() {
            return (tlsCert == null ? "http" : "https") + "://127.0.0.1:" + port;
        }

        /** The operating system's id of the server process (for /proc/PID/status). */
        long pid() {
            return process.pid();
        }

        /** Waits until GET /health answers 200; fails with the server's log if it exits or takes over 60 s. */
        Server awaitReady() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/health")).timeout(Duration.ofSeconds(2)).build();
            HttpClient http = tlsCert == null ? HTTP
                    : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(trusting(tlsCert)).build();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) fail("sotto serve exited with status " + process.exitValue() + ":\n" + read(log));
                try {
                    if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return this;
                } catch (IOException notYet) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                sleep(100);
            }
            fail("sotto serve did not answer GET /health with 200 within 60 s:\n" + read(log));
            return this;
        }

        /** A TLS context that trusts exactly one certificate (the test's self-signed one). */
        private static SSLContext trusting(Path cert) {
            try (var in = Files.newInputStream(cert)) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                trust.setCertificateEntry("sotto-test", CertificateFactory.getInstance("X.509").generateCertificate(in));
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, tmf.getTrustManagers(), null);
                return context;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(cert + ": not a usable certificate: " + e.getMessage(), e);
            }
        }

        /** kill -9: no shutdown hook, no chance to tidy up. */
        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
