package dev.sotto.server.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sotto.SottoException;
import dev.sotto.audio.AudioDecoder;
import dev.sotto.diarize.DiarizationConfig;
import dev.sotto.diarize.Diarization;
import dev.sotto.diarize.Diarizer;
import dev.sotto.diarize.AudioEvent;
import dev.sotto.diarize.AudioTagger;
import dev.sotto.diarize.SilenceTagger;
import java.util.List;
import dev.sotto.engine.Result;
import dev.sotto.vad.SileroVad;
import java.nio.file.Path;
import dev.sotto.engine.StreamOptions;
import java.util.HashMap;
import java.util.function.Consumer;
import java.util.Map;

/**
 * What every API shares: the configuration, the loaded models, keys, metrics, the URL
 * fetcher and the job queue. APIs register a {@link JobRunner} for each kind of job they
 * submit; the queue starts once every API has registered.
 */
public final class ServerContext {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final ServerConfig config;
    private final Models models;
    private final Auth auth;
    private final Metrics metrics;
    private final UrlFetcher fetcher;
    private final JobStore store;
    private final JobQueue jobs;
    private final Map<String, JobRunner> runners = new HashMap<>();
    private final LiveSessions live;
    private Diarizer diarizer;   // opened on the first request that asks for speakers, guarded by this
    private SilenceTagger silences;   // opened on the first request that asks for audio events, guarded by this
    private AudioTagger tagger;       // likewise, when --tagging-model is set

    public ServerContext(ServerConfig config, Models models, JobStore store) {
        this.config = config;
        this.models = models;
        this.auth = new Auth(config.apiKeys());
        this.store = store;
        this.jobs = new JobQueue(store, config.workers(), config.maxQueue(), config.jobTtl(), this::runJob);
        this.live = new LiveSessions(config.maxStreams(), config.streamIdle());
        this.metrics = new Metrics(jobs::depth, () -> {
            Map<String, Integer> byState = new HashMap<>();
            store.countsByState().forEach((state, n) -> byState.put(state.id(), n));
            return byState;
        }, live::count);
        this.fetcher = new UrlFetcher(new UrlPolicy(config.allowPrivateUrls(), config.fileRoots(), config.maxUploadBytes(),
                config.urlTimeout(), UrlPolicy.DEFAULT_MAX_REDIRECTS));
        for (ServedModel m : models.all()) metrics.modelLoaded(m.name(), m.loadSeconds());
    }

    private Outcome runJob(Job job, JobContext context) throws Exception {
        JobRunner runner = runners.get(job.kind());
        if (runner == null) return Outcome.failed(500, "{\"detail\":\"no API on this server runs jobs of kind '" + job.kind() + "'\"}");
        return runner.run(job, context);
    }

    /** Called by an API for each kind of job it submits, before the queue starts. */
    public void runJobs(String kind, JobRunner runner) {
        runners.put(kind, runner);
    }

    /** Submits a job; a full queue is a 429 (with Retry-After set by the caller). */
    public Job submit(String kind, String endpoint, String paramsJson, Upload audio) {
        try {
            Job job = jobs.submit(kind, endpoint, paramsJson, audio == null ? null : audio.file(),
                    audio == null ? null : audio.fileName(), audio == null ? 0 : audio.size());
            if (audio != null) audio.release();
            return job;
        } catch (QueueFullException e) {
            throw new ServeException(429, "queue_full", null, "The server's queue is full (" + e.maxQueued()
                    + " jobs waiting): try again later");
        }
    }

    /**
     * Who spoke when in spooled audio (decoded a second time, beside the transcription): the
     * diarizer opens on first use with {@code --speaker-model} (or the built-in embedding)
     * and the Silero VAD of {@code --vad-model} or one found beside the models.
     */
    public Diarization diarize(Upload audio, int numSpeakers, int minSpeakers, int maxSpeakers) {
        Diarizer.Session session;
        try {
            session = diarizer().session(numSpeakers, minSpeakers, maxSpeakers);
        } catch (IllegalArgumentException e) {
            throw ServeException.badRequest("num_speakers", "Speaker counts: " + e.getMessage()
                    + " (num_speakers 0 or more, min_speakers at least 1, max_speakers 0 or at least min_speakers)");
        }
        try (AudioDecoder in = AudioDecoder.open(audio.file(), audio.fileName())) {
            float[] buffer = new float[AudioDecoder.SAMPLE_RATE];
            for (int n; (n = in.read(buffer, 0, buffer.length)) > 0; ) session.accept(buffer, 0, n);
        }
        return session.finish();
    }

    /**
     * The audio events of spooled audio, in time order: {@code (silence)} for stretches without speech of 2 s or
     * more (Silero VAD; optional when the server has a --tagging-model) and the tagging model's events.
     */
    public List<AudioEvent> audioEvents(Upload audio) {
        SilenceTagger silence = silenceTagger();
        AudioTagger tags = audioTagger();
        SilenceTagger.Session silences = silence == null ? null : silence.session();
        AudioTagger.Session tagged = tags == null ? null : tags.session();
        try (AudioDecoder in = AudioDecoder.open(audio.file(), audio.fileName())) {
            float[] buffer = new float[AudioDecoder.SAMPLE_RATE];
            for (int n; (n = in.read(buffer, 0, buffer.length)) > 0; ) {
                if (silences != null) silences.accept(buffer, 0, n);
                if (tagged != null) tagged.accept(buffer, 0, n);
            }
        }
        return AudioTagger.merge(silences == null ? List.of() : silences.finish(), tagged == null ? List.of() : tagged.finish());
    }

    /** The silence tagger; null when there is no VAD but a tagging model gives the events. */
    private synchronized SilenceTagger silenceTagger() {
        if (silences == null) {
            if (config.taggingModel() != null && findVad() == null) return null;
            silences = SilenceTagger.open(vadModel("tagAudioEvents"), SilenceTagger.DEFAULT_MIN_SILENCE_SECONDS);
        }
        return silences;
    }

    private synchronized AudioTagger audioTagger() {
        if (tagger == null && config.taggingModel() != null) {
            try {
                tagger = AudioTagger.open(config.taggingModel(), AudioTagger.DEFAULT_THRESHOLD);
            } catch (SottoException e) {
                throw new ServeException(500, "audio_tagging_unavailable", "tagAudioEvents",
                        "The audio-tagging model failed to load: " + e.getMessage());
            }
        }
        return tagger;
    }

    /** Throws the 400 a request asking for audio events gets when the server has no VAD nor tagger (opening them if it has). */
    public void requireAudioEvents() {
        audioTagger();
        silenceTagger();
    }

    private Path findVad() {
        Path vad = config.vadModel();
        for (int i = 0; vad == null && i < config.models().size(); i++) vad = SileroVad.find(config.models().get(i));
        return vad;
    }

    /** --vad-model, else SOTTO_VAD_MODEL or a Silero VAD beside a model; a 400 on {@code field} when there is none. */
    private Path vadModel(String field) {
        Path vad = findVad();
        if (vad == null) {
            throw new ServeException(400, "vad_unavailable", field, "This needs a Silero VAD model, and this server has "
                    + "none: start sotto serve with --vad-model FILE|silero-vad");
        }
        return vad;
    }

    /** Throws the 400 a request asking for speakers gets when the server cannot diarize (opening the models if it can). */
    public void requireDiarization() {
        diarizer();
    }

    private synchronized Diarizer diarizer() {
        if (diarizer != null) return diarizer;
        Path vad = vadModel("diarize");
        try {
            diarizer = Diarizer.open(DiarizationConfig.builder().vadModel(vad).speakerModel(config.speakerModel()).build());
        } catch (SottoException e) {
            throw new ServeException(500, "diarization_unavailable", "diarize", "The speaker models failed to load: " + e.getMessage());
        }
        return diarizer;
    }

    /** Releases the diarizer's models, if they were opened. */
    public synchronized void closeDiarizer() {
        if (diarizer != null) diarizer.close();
        if (silences != null) silences.close();
        if (tagger != null) tagger.close();
        diarizer = null;
        silences = null;
        tagger = null;
    }

    /** Transcribes spooled audio on a model and counts it in the metrics. */
    public ServedModel.Transcription transcribe(ServedModel model, Upload audio, StreamOptions options, String acceleration,
                                                Consumer<Result> onStep) {
        return transcribe(model, audio, options, acceleration, 0, onStep);
    }

    /** As above, on the model's export for {@code chunkMs} when it is positive (Sotto's {@code chunk_ms}). */
    public ServedModel.Transcription transcribe(ServedModel model, Upload audio, StreamOptions options, String acceleration,
                                                int chunkMs, Consumer<Result> onStep) {
        ServedModel.Transcription t = model.transcribe(audio.file(), audio.fileName(), options, acceleration, chunkMs, onStep);
        metrics.transcribed(model.name(), t.audioSeconds(), t.wallSeconds());
        return t;
    }

    public ServerConfig config() {
        return config;
    }

    public Models models() {
        return models;
    }

    public Auth auth() {
        return auth;
    }

    public Metrics metrics() {
        return metrics;
    }

    public UrlFetcher fetcher() {
        return fetcher;
    }

    public LiveSessions live() {
        return live;
    }

    public JobStore store() {
        return store;
    }

    public JobQueue jobs() {
        return jobs;
    }
}
