package dev.sotto.engine;

import dev.sotto.SottoException;
import dev.sotto.decode.SearchState;
import dev.sotto.runtime.Runtime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Logger;

/**
 * Runs an {@link OfflineModel}: each stream's audio is decoded in pieces of at most
 * {@value #MAX_PIECE_SECONDS} s (the whole input when it is no longer; else as a cutter
 * finds them, at silences), and one {@link #decode} call takes every waiting piece of
 * every stream given, sorted by length and packed {@code batchSize} at a time into one
 * encoder call (padded, with each piece's length) and one batched search. A piece's
 * tokens are placed at its start in the stream.
 */
public final class OfflineEngine implements Engine {
    private static final Logger LOG = Logger.getLogger(OfflineEngine.class.getName());
    public static final double MAX_PIECE_SECONDS = 30;

    private final OfflineModel model;
    private final Settings settings;
    private final ModelInfo info;
    private final double emissionDelay;

    /** How streams are cut and batched. */
    record Settings(long maxSamples, int gridSamples, int batchSize, boolean alwaysCut, AudioCutter.Factory cutters) {
        AudioCutter newCutter() {
            return cutters.create(maxSamples, gridSamples);
        }
    }

    private OfflineEngine(OfflineModel model, String name, Settings settings, List<String> languages, Runtime runtime,
                          double emissionDelay) {
        this.model = model;
        this.emissionDelay = emissionDelay;
        this.settings = settings;
        this.info = new ModelInfo(model.family(), name, model.directory(), 0, languages, runtime.provider(),
                runtime.providerReason(), false);
    }

    /**
     * The engine for a loaded offline model. Long inputs are cut by {@code cutters}; with VAD
     * asked for ({@link DecodingConfig#vad()}) every input is, so silence is left out.
     */
    public static Engine create(OfflineModel model, String name, LoadRequest request, List<String> languages,
                                AudioCutter.Factory cutters) {
        if (request.chunkAsked()) {
            throw new SottoException(name + " is an offline model: it decodes whole utterances and has no chunk sizes "
                    + "(drop --chunk-ms / --acceleration)");
        }
        int batch = Math.max(1, Math.min(request.decoding().batchSize(), model.encoder().maxBatch()));
        Settings settings = new Settings((long) (MAX_PIECE_SECONDS * 16000), model.encoder().frameSamples(), batch,
                request.decoding().vad(), cutters);
        return new OfflineEngine(model, name, settings, languages, request.runtime(),
                request.decoding().emissionDelaySeconds(model.encoder().emissionDelaySeconds()));
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public EngineStream newStream(StreamOptions options) {
        if (options.translate()) {
            throw new SottoException("the model " + info.name() + " transcribes only; it cannot translate "
                    + "(translation needs a multilingual Whisper model)");
        }
        String language = options.language();
        if (language != null && !language.equalsIgnoreCase("auto")) {
            LOG.warning("the model " + info.name() + " takes no language prompt"
                    + (info.languages().isEmpty() ? "" : " (it detects the language itself)")
                    + ": language '" + language + "' is ignored");
        }
        OfflineTranscript transcript = new OfflineTranscript(model.vocabulary(), model.languageTags(),
                model.encoder().frameSeconds(), emissionDelay);
        return new OfflineStream(settings, transcript);
    }

    private record Job(OfflineStream stream, OfflineStream.Piece piece) {
    }

    /** Decodes every waiting piece of the streams, longest first, a batch per encoder call. */
    @Override
    public synchronized void decode(List<EngineStream> streams) {
        List<Job> jobs = new ArrayList<>();
        for (EngineStream s : streams) {
            OfflineStream stream = (OfflineStream) s;
            for (OfflineStream.Piece piece : stream.take()) jobs.add(new Job(stream, piece));
        }
        jobs.sort(Comparator.comparingInt((Job j) -> j.piece().samples().length).reversed());
        for (int from = 0; from < jobs.size(); from += settings.batchSize()) {
            decodeBatch(jobs.subList(from, Math.min(jobs.size(), from + settings.batchSize())));
        }
    }

    private void decodeBatch(List<Job> jobs) {
        List<float[][]> features = new ArrayList<>(jobs.size());
        for (Job job : jobs) features.add(model.encoder().features(job.piece().samples()));
        float[][][] frames = model.encoder().encode(features);
        List<SearchState> states = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) states.add(model.search().start());
        model.search().search(states, Arrays.asList(frames), new long[jobs.size()]);
        for (int i = 0; i < jobs.size(); i++) jobs.get(i).stream().complete(jobs.get(i).piece(), states.get(i).tokens());
    }

    @Override
    public void close() {
        model.encoder().close();
        for (AutoCloseable r : model.resources()) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.warning("closing " + r + ": " + e.getMessage());
            }
        }
    }
}
