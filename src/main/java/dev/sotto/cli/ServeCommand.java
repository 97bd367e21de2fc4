package dev.sotto.cli;

import dev.sotto.SottoException;
import dev.sotto.recognizer.ExecutionConfig;
import dev.sotto.server.SottoServer;
import dev.sotto.server.core.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sotto serve}: the OpenAI, fal and NanoGPT speech APIs on this machine. */
@Command(name = "serve", description = "Serve the OpenAI, fal, NanoGPT and Fireworks speech APIs locally "
        + "(and fal's Nemotron 3 Nano Omni video endpoint with --vlm-url).")
final class ServeCommand implements Callable<Integer>, LoadsModels {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: loopback only).")
    String host;

    @Option(names = "--port", defaultValue = "8000", description = "Port (0 picks a free one).")
    int port;

    @Option(names = "--model", required = true, paramLabel = "DIR|NAME", arity = "1..*",
            description = "Model directories or names to load (each is known by its directory name, which for a name is the name).")
    List<String> models;

    @Option(names = "--alias", paramLabel = "NAME=MODEL", description = "Another name for a loaded model (repeatable).")
    List<String> aliases = new ArrayList<>();

    @Option(names = "--api-key", paramLabel = "KEY", description = "A key clients must send (repeatable; also SOTTO_API_KEYS, comma-separated).")
    List<String> apiKeys = new ArrayList<>();

    @Option(names = "--no-auth", description = "Serve a non-loopback address without keys, on purpose.")
    boolean noAuth;

    @Option(names = "--data", paramLabel = "DIR", description = "Jobs database and spool (default: SOTTO_HOME/server, SOTTO_HOME being ~/.sotto unless set).")
    Path data;

    @Option(names = "--workers", defaultValue = "2", description = "Asynchronous jobs run at once.")
    int workers;

    @Option(names = "--max-queue", defaultValue = "1000", description = "Asynchronous jobs waiting at most; more get 429.")
    int maxQueue;

    @Option(names = "--max-upload-mb", defaultValue = "1024", description = "Largest upload or fetched file, in MB.")
    long maxUploadMb;

    @Option(names = "--allow-private-urls", description = "Let audio URLs reach loopback and private addresses.")
    boolean allowPrivateUrls;

    @Option(names = "--allow-file-root", paramLabel = "DIR", description = "Let file:// audio URLs read under DIR (repeatable).")
    List<Path> fileRoots = new ArrayList<>();

    @Option(names = "--url-timeout", defaultValue = "60s", description = "Longest fetch of an audio URL (e.g. 60s, 5m).")
    String urlTimeout;

    @Option(names = "--job-ttl", defaultValue = "24h", description = "How long finished jobs and their audio are kept (e.g. 24h, 30m).")
    String jobTtl;

    @Option(names = "--max-streams", defaultValue = "256", description = "Live (WebSocket) streams open at most.")
    int maxStreams;

    @Option(names = "--stream-idle-s", defaultValue = "60", description = "Close a live stream after this many seconds without audio.")
    int streamIdleSeconds;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve HTTPS/WSS with this PEM certificate (chain).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM private key (PKCS#8) of --tls-cert.")
    Path tlsKey;

    @Option(names = "--no-batching", description = "Decode each stream in its own model call (to measure what batching buys).")
    boolean noBatching;

    @Option(names = "--bench-report", paramLabel = "DIR",
            description = "A `sotto bench --out` directory: the web page at / shows its bench.svg and bench.json rows.")
    Path benchReport;

    @Option(names = "--speaker-model", paramLabel = "FILE|DIR", description = "Speaker-embedding model for diarize=true / "
            + "diarized_json (sherpa-onnx 3D-Speaker, WeSpeaker or NeMo export; default: the built-in embedding).")
    java.nio.file.Path speakerModel;

    @Option(names = "--vad-model", paramLabel = "FILE|NAME", description = "Silero VAD for diarization (default: SOTTO_VAD_MODEL, "
            + "or a silero_vad*.onnx beside a model).")
    String vadModel;

    @Option(names = "--tagging-model", paramLabel = "DIR", description = "A sherpa-onnx audio tagger (Zipformer or CED audio "
            + "tagging: model.onnx and class_labels_indices.csv) for tagAudioEvents=true: (music), (laughter)... beside (silence).")
    java.nio.file.Path taggingModel;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or cuda[:N].")
    String device;

    // One thread per session by default: ONNX Runtime's intra-op pool spins between calls, and with many
    // concurrent streams that spinning, not decoding, used the cores (64 real-time streams held at p95
    // 73 ms with 1 thread, about 16 with the automatic count, on 2 cores).
    @Option(names = "--threads", defaultValue = "1", description = "CPU threads per model session (default 1; 0 = automatic).")
    int threads;

    @Mixin
    GpuOptions gpu;

    @Mixin
    VlmOptions vlm;

    @Override
    public Integer call() throws InterruptedException {
        List<String> keys = new ArrayList<>(apiKeys);
        String env = System.getenv("SOTTO_API_KEYS");
        if (env != null) Arrays.stream(env.split(",")).map(String::strip).filter(k -> !k.isEmpty()).forEach(keys::add);
        Map<String, String> aliasMap = new LinkedHashMap<>();
        for (String a : aliases) {
            int eq = a.indexOf('=');
            if (eq <= 0 || eq == a.length() - 1) throw new SottoException("--alias " + a + ": write it as NAME=MODEL");
            aliasMap.put(a.substring(0, eq).strip(), a.substring(eq + 1).strip());
        }
        if (maxUploadMb <= 0) throw new SottoException("--max-upload-mb must be positive");
        if (workers <= 0) throw new SottoException("--workers must be positive");
        Path dataDir = data != null ? data : ModelArguments.settings().home().resolve("server");
        ServerConfig config = new ServerConfig(host, port, ModelArguments.directories(models), aliasMap, keys, noAuth, dataDir.toAbsolutePath(), workers,
                maxQueue, maxUploadMb << 20, allowPrivateUrls, fileRoots, parseDuration(urlTimeout), parseDuration(jobTtl),
                gpu.apply(ExecutionConfig.builder().device(device).threads(threads)).build(),
                Duration.ofSeconds(30), maxStreams, Duration.ofSeconds(streamIdleSeconds), tlsCert, tlsKey, !noBatching,
                vlm.config(), benchReport == null ? null : benchReport.toAbsolutePath().normalize(),
                speakerModel, vadModel == null ? null : ModelArguments.file(vadModel),
                taggingModel == null ? null : taggingModel.toAbsolutePath().normalize());
        if (taggingModel != null) {
            // Fail at start, not on the first request: a wrong directory is a setup mistake.
            try (dev.sotto.diarize.AudioTagger check = dev.sotto.diarize.AudioTagger.open(taggingModel, dev.sotto.diarize.AudioTagger.DEFAULT_THRESHOLD)) {
                System.err.println("sotto: audio events from the " + check.name());
            }
        }
        if (speakerModel != null && !java.nio.file.Files.exists(speakerModel)) {
            throw new SottoException(speakerModel + ": no such speaker model (--speaker-model)");
        }
        if ((tlsCert == null) != (tlsKey == null)) throw new SottoException("--tls-cert and --tls-key go together");
        if (benchReport != null && !java.nio.file.Files.isRegularFile(benchReport.resolve("bench.json"))) {
            throw new SottoException("--bench-report " + benchReport + ": no bench.json there; write one with "
                    + "`sotto bench --model DIR --manifest TSV --out " + benchReport + "`");
        }
        if (maxStreams <= 0 || streamIdleSeconds <= 0) throw new SottoException("--max-streams and --stream-idle-s must be positive");
        SottoServer server = SottoServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "sotto-shutdown"));
        System.err.println("sotto: serving on " + (tlsCert != null ? "https" : "http") + "://" + host + ":" + server.port() + " (Ctrl-C stops)");
        stopped.await();
        return 0;
    }

    static Duration parseDuration(String s) {
        String t = s.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new SottoException(s + ": write a duration as a number with s, m, h or d (e.g. 60s, 24h)");
        }
    }
}
