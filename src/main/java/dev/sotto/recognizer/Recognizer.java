package dev.sotto.recognizer;

import dev.sotto.engine.Engine;
import dev.sotto.engine.EngineStream;
import dev.sotto.engine.Features;
import dev.sotto.engine.LoadRequest;
import dev.sotto.engine.ModelInfo;
import dev.sotto.engine.Result;
import dev.sotto.engine.StreamOptions;
import dev.sotto.registry.ModelRegistry;
import dev.sotto.runtime.OptimizedModelCache;
import dev.sotto.runtime.Runtime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Speech recognition with one loaded model: creates streams, decodes them (one at a time
 * or many in one batched call), and returns their results.
 *
 * <pre>{@code
 * RecognizerConfig config = RecognizerConfig.builder(ModelConfig.builder(Path.of("model")).build()).build();
 * try (Recognizer recognizer = Recognizer.create(config);
 *      RecognitionStream stream = recognizer.createStream()) {
 *     stream.acceptWaveform(samples);        // 16 kHz mono floats
 *     stream.inputFinished();
 *     while (recognizer.isReady(stream)) recognizer.decode(stream);
 *     System.out.println(recognizer.getResult(stream).text());
 * }
 * }</pre>
 *
 * <p>The model family (NeMo streaming transducer, Zipformer, Whisper) is detected from
 * the model directory. A Recognizer holds native memory: close it.
 */
public final class Recognizer implements AutoCloseable {
    private final RecognizerConfig config;
    private final Runtime runtime;
    private final Engine engine;

    private Recognizer(RecognizerConfig config, Runtime runtime, Engine engine) {
        this.config = config;
        this.runtime = runtime;
        this.engine = engine;
    }

    /**
     * The chunk sizes (ms) a model path offers without loading it: every export of a family
     * directory, or the one size of a single streaming export; empty for models that do not
     * stream in chunks (Whisper) or whose size is only known once loaded.
     */
    public static List<Integer> chunkSizes(Path model) {
        return ModelRegistry.chunkSizes(model.toAbsolutePath().normalize());
    }

    /** The offline front end of the model at {@code model} (a model or family directory), for feature dumps. */
    public static Features features(Path model) {
        return ModelRegistry.features(model.toAbsolutePath().normalize());
    }

    /** Loads the model; fails with a {@link dev.sotto.SottoException} saying what is wrong with it. */
    public static Recognizer create(RecognizerConfig config) {
        ExecutionConfig execution = config.execution();
        Runtime runtime = Runtime.create(execution.device(), execution.threads(), execution.cuda(),
                execution.optimizedModelCache() == null ? null : new OptimizedModelCache(execution.optimizedModelCache()));
        ModelConfig model = config.model();
        LoadRequest request = new LoadRequest(model.path().toAbsolutePath().normalize(), model.path(), model.chunkMs(),
                model.acceleration(), config.decoding(), config.endpoint(), runtime);
        return new Recognizer(config, runtime, ModelRegistry.load(request));
    }

    public RecognizerConfig config() {
        return config;
    }

    public ModelInfo info() {
        return engine.info();
    }

    /** The device the sessions run on: {@code cpu} or {@code cuda:N}. */
    public String device() {
        return runtime.device().toString();
    }

    /** A stream decoded in the configured language. */
    public RecognitionStream createStream() {
        return createStream(config.decoding().language());
    }

    /** A stream decoded in {@code language} ("auto" to detect). */
    public RecognitionStream createStream(String language) {
        return createStream(StreamOptions.language(language));
    }

    /** A stream with its own language, task or prompt (null fields: as configured). */
    public RecognitionStream createStream(StreamOptions options) {
        String language = options.language() == null ? config.decoding().language() : options.language();
        return new RecognitionStream(this, engine.newStream(new StreamOptions(language, options.task(), options.prompt())));
    }

    /** Whether the stream has enough audio for the next decoding step. */
    public boolean isReady(RecognitionStream stream) {
        return own(stream).engineStream.isReady();
    }

    /** Runs one decoding step (a chunk, a window) on a ready stream. */
    public void decode(RecognitionStream stream) {
        decode(List.of(stream));
    }

    /** Runs one decoding step on every ready stream of the list, batched into shared model calls. */
    public void decode(List<RecognitionStream> streams) {
        List<EngineStream> ready = new ArrayList<>(streams.size());
        for (RecognitionStream s : streams) {
            if (own(s).engineStream.isReady()) ready.add(s.engineStream);
        }
        if (!ready.isEmpty()) engine.decode(ready);
    }

    public Result getResult(RecognitionStream stream) {
        return own(stream).engineStream.result();
    }

    /** Input finished and everything decoded: the result is final. */
    public boolean isDone(RecognitionStream stream) {
        return own(stream).engineStream.isDone();
    }

    /** Nanoseconds spent inside ONNX Runtime sessions so far (for benchmarks). */
    public long runtimeNanos() {
        return runtime.stats().nanos();
    }

    private RecognitionStream own(RecognitionStream s) {
        if (s.owner() != this) throw new IllegalArgumentException("the stream belongs to another recognizer");
        return s;
    }

    @Override
    public void close() {
        engine.close();
    }
}
