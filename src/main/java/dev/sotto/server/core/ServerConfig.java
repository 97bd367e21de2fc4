package dev.sotto.server.core;

import dev.sotto.recognizer.ExecutionConfig;
import dev.sotto.video.BackendConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code sotto serve} is told on its command line. {@code aliases} maps extra
 * model names to a loaded model's name; {@code apiKeys} empty means no key is asked for;
 * {@code tlsCert}/{@code tlsKey} (PEM) null means plain HTTP; {@code vlm} is the vision-language
 * model server behind fal's Nemotron 3 Nano Omni video endpoint (null: not configured, that endpoint answers 503);
 * {@code benchReport} is a {@code sotto bench --out} directory whose bench.json and bench.svg the web page shows (null: none);
 * {@code speakerModel} (null: the built-in embedding) and {@code vadModel} (null: a Silero VAD found beside the models) serve diarization;
 * {@code taggingModel} (null: none, audio events are silences only) is a sherpa-onnx audio-tagging model directory.
 */
public record ServerConfig(String host, int port, List<Path> models, Map<String, String> aliases,
                           List<String> apiKeys, boolean noAuth, Path dataDir, int workers, int maxQueue,
                           long maxUploadBytes, boolean allowPrivateUrls, List<Path> fileRoots, Duration urlTimeout, Duration jobTtl,
                           ExecutionConfig execution, Duration shutdownTimeout, int maxStreams, Duration streamIdle,
                           Path tlsCert, Path tlsKey, boolean batching, BackendConfig vlm, Path benchReport,
                           Path speakerModel, Path vadModel, Path taggingModel) {

    /**
     * Without a video model server, a bench report or diarization settings (the built-in speaker embedding, and a
     * Silero VAD found beside the models).
     */
    public ServerConfig(String host, int port, List<Path> models, Map<String, String> aliases,
                        List<String> apiKeys, boolean noAuth, Path dataDir, int workers, int maxQueue,
                        long maxUploadBytes, boolean allowPrivateUrls, List<Path> fileRoots, Duration urlTimeout, Duration jobTtl,
                        ExecutionConfig execution, Duration shutdownTimeout, int maxStreams, Duration streamIdle,
                        Path tlsCert, Path tlsKey, boolean batching) {
        this(host, port, models, aliases, apiKeys, noAuth, dataDir, workers, maxQueue, maxUploadBytes, allowPrivateUrls,
                fileRoots, urlTimeout, jobTtl, execution, shutdownTimeout, maxStreams, streamIdle, tlsCert, tlsKey, batching,
                null, null, null, null, null);
    }

    /** Whether the server listens only on the loopback interface. */
    public boolean loopbackOnly() {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }

    public Path spoolDir() {
        return dataDir.resolve("spool");
    }
}
