package dev.sotto.engine;

import dev.sotto.decode.CtcGreedySearch;
import dev.sotto.decode.CtcPrefixBeamSearch;
import dev.sotto.decode.Emission;
import dev.sotto.decode.FrameSearch;
import dev.sotto.decode.GreedySearch;
import dev.sotto.decode.ModifiedBeamSearch;
import dev.sotto.decode.PredictorState;
import dev.sotto.decode.SearchState;
import dev.sotto.decode.TransducerSearch;
import dev.sotto.decode.Vocabulary;
import dev.sotto.SottoException;
import dev.sotto.features.FrontEnd;
import dev.sotto.engine.StreamingEncoder.EncoderState;
import dev.sotto.runtime.Runtime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;

/**
 * Runs a streaming model chunk by chunk: features → window → encoder (with the stream's
 * caches) → search over the new frames → tokens with times, with endpoint rules closing
 * segments. The frames are a transducer's encoder output ({@link StreamingTransducer}:
 * the search runs its joint and prediction network) or a CTC head's log-probabilities
 * ({@link StreamingCtc}). One {@link #decode} call advances a batch of streams by one
 * chunk, with one encoder call and shared joint / prediction-network calls.
 */
public final class TransducerEngine implements Engine {
    private static final Logger LOG = Logger.getLogger(TransducerEngine.class.getName());

    private final Parts model;
    private final StreamingEncoder encoder;
    private final FrameSearch search;
    private final EndpointConfig endpoint;
    private final ModelInfo info;
    private final double emissionDelay;
    /** The encoder call running ahead (see {@link #decode}), at most one per engine; null when none. Guarded by this. */
    private Future<?> encodingAhead;
    private ExecutorService aheadThread;   // the thread it runs on, made on first use; guarded by this

    /** What the engine runs, whatever the head: {@code restart} is the prediction network's state after a reset (CTC: none). */
    private record Parts(String family, Path directory, int chunkMs, StreamingEncoder encoder, FrameSearch search,
                         PredictorState restart, Vocabulary vocabulary, Map<Integer, String> languageTags,
                         List<AutoCloseable> resources) {
    }

    private TransducerEngine(Parts model, String name, LoadRequest request) {
        Runtime runtime = request.runtime();
        this.model = model;
        this.emissionDelay = request.decoding().emissionDelaySeconds(model.encoder().emissionDelaySeconds());
        this.encoder = model.encoder();
        this.search = model.search();
        this.endpoint = request.endpoint();
        this.info = new ModelInfo(model.family(), name, model.directory(),
                model.chunkMs(), encoder.languages(), runtime.provider(), runtime.providerReason(), false);
    }

    /** The engine for a loaded transducer: greedy search, or modified beam search when the beam is wider than 1. */
    public static Engine create(StreamingTransducer model, String name, LoadRequest request) {
        int beam = request.decoding().beamSize();
        TransducerSearch search = beam > 1 ? new ModifiedBeamSearch(beam) : new GreedySearch();
        return new TransducerEngine(new Parts(model.family(), model.directory(), model.chunkMs(), model.encoder(),
                FrameSearch.of(search, model.transducer()), model.transducer().initialState(), model.vocabulary(),
                model.languageTags(), model.resources()), name, request);
    }

    /** The engine for a loaded streaming CTC model: greedy search, or prefix beam search when the beam is wider than 1. */
    public static Engine create(StreamingCtc model, String name, LoadRequest request) {
        int beam = request.decoding().beamSize();
        FrameSearch search = beam > 1 ? new CtcPrefixBeamSearch(beam, model.blankId()) : new CtcGreedySearch(model.blankId());
        return new TransducerEngine(new Parts(model.family(), model.directory(), model.chunkMs(), model.encoder(), search,
                null, model.vocabulary(), model.languageTags(), model.resources()), name, request);
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
        String language = options.language() == null ? "auto" : options.language();
        if (encoder.languages().isEmpty() && !language.equalsIgnoreCase("auto")) {
            LOG.warning("the model " + info.name() + " is monolingual: language '" + language + "' is ignored");
            language = "auto";
        }
        return new Stream(language);
    }

    /**
     * One batch at a time: the model's sessions and scratch buffers are shared by all streams.
     *
     * <p>A lone stream with its next window already there (a file being decoded faster than
     * real time) has that window encoded on another thread while this one runs the search
     * over the chunk just encoded: the encoder's next input depends only on the audio and
     * its own state, never on the search, unless the state is reset at endpoints (then
     * nothing is encoded ahead). Each stream still sees its chunks encoded and searched in
     * order, one encoder call at a time per engine, so results are the same.
     */
    @Override
    public synchronized void decode(List<EngineStream> streams) {
        finishEncodingAhead();
        float[][][] frames = new float[streams.size()][][];
        List<float[]> windows = new ArrayList<>(streams.size());
        List<EncoderState> states = new ArrayList<>(streams.size());
        List<Integer> toEncode = new ArrayList<>(streams.size());
        for (int i = 0; i < streams.size(); i++) {
            Stream stream = (Stream) streams.get(i);
            frames[i] = stream.takeEncodedAhead();
            if (frames[i] == null) {
                windows.add(stream.window());
                states.add(stream.encoderState);
                toEncode.add(i);
            }
        }
        if (!toEncode.isEmpty()) {
            float[][][] encoded = encoder.encode(windows, states);
            for (int k = 0; k < encoded.length; k++) frames[toEncode.get(k)] = encoded[k];
        }
        if (streams.size() == 1 && !endpoint.resetAtEndpoint()) {
            ((Stream) streams.get(0)).encodeNextAhead();
        }
        List<SearchState> searchStates = new ArrayList<>(streams.size());
        long[] first = new long[streams.size()];
        for (int i = 0; i < streams.size(); i++) {
            Stream stream = (Stream) streams.get(i);
            searchStates.add(stream.search);
            first[i] = stream.encoderFrames;
        }
        search.search(searchStates, java.util.Arrays.asList(frames), first);
        for (int i = 0; i < streams.size(); i++) {
            ((Stream) streams.get(i)).advance(frames[i].length);
        }
    }

    /** Waits for the encoder call running ahead, so the encoder runs one call at a time (its result stays with its stream). */
    private void finishEncodingAhead() {
        if (encodingAhead == null) return;
        try {
            encodingAhead.get();
        } catch (ExecutionException e) {
            // kept by the stream, and thrown by its next decode
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SottoException("interrupted while encoding");
        }
        encodingAhead = null;
    }

    /** Starts encoding a window on the engine's own thread (one daemon thread, made once). */
    private synchronized Future<float[][][]> encodeAhead(float[] window, EncoderState state) {
        if (aheadThread == null) {
            aheadThread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "sotto-encoder");
                t.setDaemon(true);
                return t;
            });
        }
        Future<float[][][]> f = aheadThread.submit(() -> encoder.encode(List.of(window), List.of(state)));
        encodingAhead = f;
        return f;
    }

    @Override
    public void close() {
        synchronized (this) {
            finishEncodingAhead();
            if (aheadThread != null) aheadThread.shutdownNow();
        }
        encoder.close();
        for (AutoCloseable r : model.resources()) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.warning("closing " + r + ": " + e.getMessage());
            }
        }
    }

    /**
     * One stream. Audio may be fed on one thread while another decodes: everything the
     * two share (the front end, the sample count, the finished flag) is guarded by the
     * stream's monitor, and the encoder and search run outside it.
     */
    private final class Stream implements EngineStream {
        private final String language;
        private final FrontEnd frontEnd = encoder.newFrontEnd();   // guarded by this
        private final int lead = encoder.leadingZeroFrames();
        private final double silenceSeconds = encoder.leadingSilenceSamples() / 16000.0;
        private EncoderState encoderState;
        private final SearchState search;
        private final FrameEnergy energy = new FrameEnergy();   // of the audio, not the added silence
        private long samples;              // guarded by this
        private boolean finished;          // guarded by this
        private long windowStart;          // padded frame index where the next window starts
        private volatile Future<float[][][]> encodedAhead;   // the window at windowStart, being encoded ahead
        private volatile long encoderFrames;   // encoder frames decoded so far (read by the feeding thread)
        // Segments: tokens before segmentFirstToken belong to closed segments.
        private final List<Segment> closed = new ArrayList<>();
        private final StringBuilder closedText = new StringBuilder();
        private final List<Token> closedTokens = new ArrayList<>();
        private int segmentFirstToken;
        private long segmentStartFrame;
        private String detectedLanguage;

        Stream(String language) {
            this.language = language;
            this.encoderState = encoder.initialState(language);
            this.search = TransducerEngine.this.search.start();
            // encoder frames that lie wholly in the added silence
            search.silentUntil((long) Math.floor(silenceSeconds / encoder.frameSeconds() + 1e-9));
            int silence = encoder.leadingSilenceSamples();
            if (silence > 0) frontEnd.accept(new float[silence], 0, silence);
        }

        @Override
        public synchronized void acceptWaveform(float[] x, int offset, int length) {
            if (finished) throw new IllegalStateException("acceptWaveform after inputFinished");
            frontEnd.accept(x, offset, length);
            energy.accept(x, offset, length);
            samples += length;
        }

        @Override
        public synchronized void inputFinished() {
            if (finished) return;
            int tail = encoder.tailPaddingSamples();
            if (tail > 0) frontEnd.accept(new float[tail], 0, tail);
            frontEnd.finish();
            int real = frontEnd.framesReady();
            int missing = encoder.framesNeeded(real) - real;
            if (missing > 0) frontEnd.extend(missing);
            finished = true;
        }

        @Override
        public synchronized boolean isReady() {
            return windowStart + encoder.windowFrames() <= lead + frontEnd.framesReady();
        }

        @Override
        public synchronized boolean isDone() {
            return finished && !isReady();
        }

        synchronized float[] window() {
            return window(windowStart);
        }

        /** The window of padded frames starting at {@code start} (its frames must not be discarded yet). */
        private synchronized float[] window(long start) {
            int w = encoder.windowFrames();
            int dim = encoder.featureDim();
            float[] out = new float[w * dim];
            long firstReal = start - lead;                // negative while inside the zero lead
            int skip = (int) Math.max(0, -firstReal);
            frontEnd.copyFrames((int) (firstReal + skip), w - skip, out, skip * dim);
            return out;
        }

        /**
         * The window at {@code windowStart} when it was encoded ahead (its state has moved past
         * it), else null. A failure of that encoder call is thrown here, where it would have been.
         */
        float[][] takeEncodedAhead() {
            if (encodedAhead == null) return null;
            Future<float[][][]> f = encodedAhead;
            encodedAhead = null;
            try {
                return f.get()[0];
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new SottoException("encoding failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SottoException("interrupted while encoding");
            }
        }

        /** After this chunk's encoder call: starts encoding the next window, when it is already there. */
        void encodeNextAhead() {
            float[] next;
            synchronized (this) {
                long start = windowStart + encoder.shiftFrames();
                if (start + encoder.windowFrames() > lead + frontEnd.framesReady()) return;
                next = window(start);
            }
            encodedAhead = encodeAhead(next, encoderState);
        }

        void advance(int newFrames) {
            synchronized (this) {
                windowStart += encoder.shiftFrames();
                encoderFrames += newFrames;
                frontEnd.discardBefore((int) Math.max(0, windowStart - lead));
            }
            if (endpoint.enabled() && isEndpoint()) closeSegment();
        }

        private boolean isEndpoint() {
            double fs = encoder.frameSeconds();
            long frames = encoderFrames - segmentStartFrame;
            double utterance = frames * fs;
            double silence = Math.min(search.trailingBlanks(), frames) * fs;
            boolean hasText = utterance > silence;
            return silence >= endpoint.silenceWithoutText()
                    || (hasText && silence >= endpoint.silenceAfterText())
                    || utterance >= endpoint.maxUtterance();
        }

        private void closeSegment() {
            search.commit();
            List<Token> tokens = segmentTokens();
            String raw = rawText(segmentFirstToken, search.tokens().size());
            if (!tokens.isEmpty() && !raw.isBlank()) {   // a stretch of silence makes no segment
                closed.add(segment(closed.size(), tokens, raw, true));
                closedText.append(raw);
                closedTokens.addAll(tokens);
            }
            segmentFirstToken = search.tokens().size();
            segmentStartFrame = encoderFrames;
            if (TransducerEngine.this.endpoint.resetAtEndpoint()) {
                encoderState.close();
                encoderState = encoder.initialState(language);
                search.restart(model.restart());
            }
        }

        /** The open segment's tokens without language tags (noting the last tag seen). */
        private List<Token> segmentTokens() {
            Vocabulary vocab = model.vocabulary();
            List<Emission> all = search.tokens();
            List<Token> out = new ArrayList<>();
            for (int i = segmentFirstToken; i < all.size(); i++) {
                Emission e = all.get(i);
                String tag = model.languageTags().get(e.token());
                if (tag != null) {
                    detectedLanguage = tag;
                    continue;
                }
                out.add(new Token(vocab.tokenText(e.token()), e.token(), audioSeconds(e.frame())));
            }
            return out;
        }

        /** The text of tokens [from, to) with its leading space kept (so segments join), language tags left out. */
        private String rawText(int from, int to) {
            List<Integer> ids = new ArrayList<>();
            List<Emission> all = search.tokens();
            for (int i = from; i < to; i++) {
                if (!model.languageTags().containsKey(all.get(i).token())) ids.add(all.get(i).token());
            }
            // detokenize() trims; keep a leading space so segments join as one text
            String text = model.vocabulary().detokenize(ids);
            boolean wordStart = !ids.isEmpty() && model.vocabulary().piece(ids.get(0)).startsWith("\u2581");
            return text.isEmpty() ? "" : (wordStart ? " " : "") + text;
        }

        private Segment segment(int id, List<Token> tokens, String raw, boolean isFinal) {
            // token times stay as emitted; the segment is where its sound is, so it starts earlier by the delay
            double start = Math.max(0, tokens.get(0).start() - emissionDelay);
            double end = tokens.get(tokens.size() - 1).start() + encoder.frameSeconds();
            return new Segment(id, start, end, raw.strip(), List.copyOf(tokens), isFinal, null);
        }

        @Override
        public Result result() {
            List<Token> open = segmentTokens();
            String openRaw = rawText(segmentFirstToken, search.tokens().size());
            List<Segment> segments = new ArrayList<>(closed);
            List<Token> tokens = new ArrayList<>(closedTokens);
            tokens.addAll(open);
            if (!open.isEmpty() && !openRaw.isBlank()) {
                segments.add(segment(closed.size(), open, openRaw, isDone()));
            }
            String text = (closedText + openRaw).strip();
            String lang = detectedLanguage != null ? detectedLanguage
                    : language.equalsIgnoreCase("auto") ? null : language;
            return new Result(text, List.copyOf(tokens), List.copyOf(segments), lang, Double.NaN,
                    new WordTiming(WordTiming.Method.TOKEN_TIMES, emissionDelay, energy.view()));
        }

        @Override
        public synchronized double secondsAccepted() {
            return samples / 16000.0;
        }

        @Override
        public void close() {
            try {
                takeEncodedAhead();   // the state may not be closed under a running encoder call
            } catch (RuntimeException e) {
                // the stream is closing: nothing will read that result
            }
            encoderState.close();
        }

        @Override
        public double secondsDecoded() {
            return Math.min(secondsAccepted(), audioSeconds(encoderFrames));
        }

        /** Where encoder frame {@code frame} starts in the audio (the leading silence is not audio). */
        private double audioSeconds(long frame) {
            return Math.max(0, frame * encoder.frameSeconds() - silenceSeconds);
        }
    }
}
