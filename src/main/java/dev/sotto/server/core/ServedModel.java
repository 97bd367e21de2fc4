package dev.sotto.server.core;

import dev.sotto.SottoException;
import dev.sotto.audio.AudioDecoder;
import dev.sotto.engine.ModelInfo;
import dev.sotto.engine.Result;
import dev.sotto.engine.StreamOptions;
import dev.sotto.recognizer.ExecutionConfig;
import dev.sotto.recognizer.ModelConfig;
import dev.sotto.recognizer.RecognitionStream;
import dev.sotto.recognizer.Recognizer;
import dev.sotto.recognizer.RecognizerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One model directory the server loaded, known by its directory's name. It is loaded once
 * and shared by every request; a family directory (one export per chunk size) loads another
 * export the first time a request asks for its chunk size (fal's {@code acceleration}).
 * Each loaded export has one {@link BatchScheduler} that decodes all its requests together.
 */
public final class ServedModel implements AutoCloseable {
    /** How far (s of audio) a request's feeding may run ahead of its decoding. */
    private static final double AHEAD_SECONDS = 5.0;

    private final String name;
    private final Path path;
    private final ExecutionConfig execution;
    private final boolean batching;
    private final List<Integer> chunkSizes;
    private final Loaded main;
    private final Map<String, Loaded> bySize = new HashMap<>();   // guarded by this
    private final double loadSeconds;

    private record Loaded(Recognizer recognizer, BatchScheduler scheduler) {
    }

    /** What one decoded input gave. */
    public record Transcription(Result result, double audioSeconds, double wallSeconds, ModelInfo model, String device) {
    }

    private ServedModel(String name, Path path, ExecutionConfig execution, boolean batching) {
        this.name = name;
        this.path = path;
        this.execution = execution;
        this.batching = batching;
        long start = System.nanoTime();
        this.chunkSizes = Recognizer.chunkSizes(path);
        this.main = load(null);
        this.loadSeconds = (System.nanoTime() - start) / 1e9;
    }

    /** Loads the model in {@code path} (its default chunk size); fails with a SottoException saying why. */
    public static ServedModel load(Path path, ExecutionConfig execution, boolean batching) {
        Path dir = path.toAbsolutePath().normalize();
        return new ServedModel(dir.getFileName().toString(), dir, execution, batching);
    }

    private Loaded load(String acceleration) {
        return load(acceleration, 0);
    }

    private Loaded load(String acceleration, int chunkMs) {
        ModelConfig.Builder model = ModelConfig.builder(path);
        if (acceleration != null) model.acceleration(acceleration);
        if (chunkMs > 0) model.chunkMs(chunkMs);
        Recognizer recognizer = Recognizer.create(RecognizerConfig.builder(model.build()).execution(execution).build());
        String label = name + (chunkMs > 0 ? "-" + chunkMs + "ms" : acceleration == null ? "" : "-" + acceleration);
        return new Loaded(recognizer, new BatchScheduler(recognizer, label, batching));
    }

    public String name() {
        return name;
    }

    public ModelInfo info() {
        return main.recognizer().info();
    }

    public String device() {
        return main.recognizer().device();
    }

    public double loadSeconds() {
        return loadSeconds;
    }

    /** Chunk sizes (ms) a request may choose among; empty when the model has one fixed size. */
    public List<Integer> chunkSizes() {
        return chunkSizes;
    }

    public boolean isWhisper() {
        return info().family().equals("whisper");
    }

    public boolean translates() {
        return info().translates();
    }

    /** Streams currently being decoded on this model, over all its loaded chunk sizes. */
    public synchronized int activeStreams() {
        int n = main.scheduler().activeStreams();
        for (Loaded l : bySize.values()) n += l.scheduler().activeStreams();
        return n;
    }

    /**
     * The export for fal's {@code acceleration} name (null: the default). A name the model
     * cannot honour is a 422 that lists what it offers.
     */
    private Loaded forAcceleration(String acceleration) {
        if (acceleration == null || acceleration.isBlank()) return main;
        String key = acceleration.toLowerCase(Locale.ROOT);
        // fal's default "none" (no speed-up) is what a model with one fixed chunk size does anyway.
        if (chunkSizes.isEmpty() && key.equals("none")) return main;
        if (chunkSizes.isEmpty()) {
            throw new ServeException(422, "unsupported_acceleration", "acceleration", "the model " + name
                    + " has one fixed chunk size; 'acceleration' cannot choose another (leave it out)");
        }
        synchronized (this) {
            Loaded l = bySize.get(key);
            if (l != null) return l;
            try {
                l = load(key);
            } catch (SottoException e) {
                throw new ServeException(422, "unsupported_acceleration", "acceleration", e.getMessage());
            }
            if (l.recognizer().info().chunkMs() == main.recognizer().info().chunkMs()) {
                l.scheduler().close();
                l.recognizer().close();
                l = main;
            }
            bySize.put(key, l);
            return l;
        }
    }

    /**
     * The export for a chunk size in ms (Sotto's {@code chunk_ms}; 0: by {@code acceleration}).
     * A size the model cannot run is a 400 naming {@code chunk_ms} and listing what it offers.
     */
    private Loaded forChunk(String acceleration, int chunkMs) {
        if (chunkMs <= 0) return forAcceleration(acceleration);
        int fixed = info().chunkMs();
        if (fixed == 0) {
            throw new ServeException(400, "unsupported_chunk_size", "chunk_ms", "the model " + name + " is not a streaming "
                    + "model: it decodes whole inputs, so chunk_ms does not apply (leave it out)");
        }
        if (chunkSizes.isEmpty() || chunkMs == fixed) {
            if (chunkMs == fixed) return main;
            throw new ServeException(400, "unsupported_chunk_size", "chunk_ms", "the model " + name + " has one fixed chunk "
                    + "size, " + fixed + " ms; chunk_ms " + chunkMs + " cannot be served (send " + fixed + " or leave it out)");
        }
        if (!chunkSizes.contains(chunkMs)) {
            throw new ServeException(400, "unsupported_chunk_size", "chunk_ms", "the model " + name + " has no " + chunkMs
                    + " ms export; its chunk sizes are " + chunkSizes + " ms");
        }
        synchronized (this) {
            String key = chunkMs + "ms";
            Loaded l = bySize.get(key);
            if (l != null) return l;
            try {
                l = load(null, chunkMs);
            } catch (SottoException e) {
                throw new ServeException(400, "unsupported_chunk_size", "chunk_ms", e.getMessage());
            }
            bySize.put(key, l);
            return l;
        }
    }

    /**
     * A live stream on this model (default chunk size, or fal's {@code acceleration}): audio
     * comes in as it is spoken, {@code onStep} sees the stream and its result after every decoding step.
     */
    public LiveStream openLive(StreamOptions options, String acceleration, BiConsumer<LiveStream, Result> onStep) {
        return openLive(options, acceleration, 0, onStep);
    }

    /** As {@link #openLive(StreamOptions, String, BiConsumer)}, on the export for {@code chunkMs} when it is positive. */
    public LiveStream openLive(StreamOptions options, String acceleration, int chunkMs, BiConsumer<LiveStream, Result> onStep) {
        Loaded loaded = forChunk(acceleration, chunkMs);
        RecognitionStream stream;
        try {
            stream = loaded.recognizer().createStream(options);
        } catch (SottoException e) {
            throw new ServeException(400, "invalid_request", "language", e.getMessage());
        }
        return new LiveStream(loaded.recognizer(), loaded.scheduler(), stream, onStep);
    }

    /**
     * Decodes a whole file; {@code onStep} sees the result after every decoding step (on the
     * decoding thread, so keep it short). Bad audio is a 400 that says what is wrong with it.
     */
    public Transcription transcribe(Path file, String displayName, StreamOptions options, String acceleration,
                                    Consumer<Result> onStep) {
        return transcribe(file, displayName, options, acceleration, 0, onStep);
    }

    /** As {@link #transcribe(Path, String, StreamOptions, String, Consumer)}, on the export for {@code chunkMs} when positive. */
    public Transcription transcribe(Path file, String displayName, StreamOptions options, String acceleration, int chunkMs,
                                    Consumer<Result> onStep) {
        Loaded loaded = forChunk(acceleration, chunkMs);
        Recognizer recognizer = loaded.recognizer();
        long start = System.nanoTime();
        AudioDecoder audio;
        try {
            audio = AudioDecoder.open(file, displayName);
        } catch (SottoException e) {
            throw new ServeException(400, "invalid_audio", "file", e.getMessage());
        }
        RecognitionStream stream;
        try {
            stream = recognizer.createStream(options);
        } catch (SottoException e) {
            audio.close();
            throw new ServeException(400, "invalid_request", options.task() != null ? "task" : "language", e.getMessage());
        }
        try (audio; stream) {
            var done = loaded.scheduler().add(stream, s -> onStep.accept(recognizer.getResult(s)));
            try {
                feed(audio, stream, recognizer, loaded.scheduler());
            } catch (SottoException e) {
                loaded.scheduler().release(stream);
                throw new ServeException(400, "invalid_audio", "file", e.getMessage());
            } catch (RuntimeException e) {
                loaded.scheduler().release(stream);
                throw e;
            }
            try {
                done.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) throw r;
                throw new IllegalStateException(cause);
            } catch (InterruptedException e) {
                loaded.scheduler().release(stream);
                Thread.currentThread().interrupt();
                throw new ServeException(503, "interrupted", null, "the request was interrupted");
            }
            return new Transcription(recognizer.getResult(stream), stream.secondsAccepted(),
                    (System.nanoTime() - start) / 1e9, recognizer.info(), recognizer.device());
        }
    }

    private static void feed(AudioDecoder audio, RecognitionStream stream, Recognizer recognizer, BatchScheduler scheduler) {
        float[] buffer = new float[AudioDecoder.SAMPLE_RATE / 10];
        try {
            for (int n; (n = audio.read(buffer, 0, buffer.length)) > 0; ) {
                stream.acceptWaveform(buffer, 0, n);
                scheduler.wake();
                while (stream.secondsAccepted() - stream.secondsDecoded() > AHEAD_SECONDS && recognizer.isReady(stream)) {
                    scheduler.awaitProgress(50);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServeException(503, "interrupted", null, "the request was interrupted");
        }
        stream.inputFinished();
        scheduler.wake();
    }

    @Override
    public synchronized void close() {
        for (Loaded l : bySize.values()) {
            if (l == main) continue;
            l.scheduler().close();
            l.recognizer().close();
        }
        main.scheduler().close();
        main.recognizer().close();
    }
}
