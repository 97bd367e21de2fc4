package dev.sotto.whisper;

import dev.sotto.SottoException;
import dev.sotto.features.WhisperMel;
import dev.sotto.runtime.Runtime;
import dev.sotto.engine.DecodingConfig;
import dev.sotto.engine.Engine;
import dev.sotto.engine.EngineStream;
import dev.sotto.engine.ModelInfo;
import dev.sotto.engine.StreamOptions;
import dev.sotto.vad.SileroVad;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whisper on ONNX Runtime, for either export layout (see {@link WhisperFiles}): 16 kHz audio
 * in, 30 s windows decoded as they become available, segments out. Long-form audio is
 * decoded window after window with Whisper's seeking, temperature fallback, no-speech
 * skipping and conditioning on previous text; in VAD mode Silero VAD cuts the speech into
 * independent windows that are decoded in batches. {@link #decode} batches the windows of
 * all ready streams through the encoder.
 */
final class WhisperEngine implements Engine {
    private static final int MAX_BATCH = 8;

    private final WhisperModel model;
    private final WhisperTokenizer tokenizer;
    private final SpecialTokens special;
    private final WindowDecoder decoder;
    private final WhisperSettings settings;
    private final DecodingConfig decoding;
    private final SileroVad vad;
    private final ModelInfo info;

    private WhisperEngine(Path dir, WhisperModel model, WhisperTokenizer tokenizer, SpecialTokens special,
                          int[] nonSpeech, DecodingConfig decoding, SileroVad vad, Runtime runtime) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.special = special;
        this.decoder = new WindowDecoder(model, tokenizer, special, decoding.keepNonSpeech() ? new int[0] : nonSpeech);
        this.settings = WhisperSettings.defaults(decoding.beamSize());
        this.decoding = decoding;
        this.vad = vad;
        if (decoding.task().equals("translate")) checkTranslates(dir.toString());
        this.info = new ModelInfo("whisper", dir.toAbsolutePath().normalize().getFileName().toString(), dir,
                0, special.multilingual() ? special.languageCodes() : List.of(), runtime.provider(),
                runtime.providerReason(), special.multilingual());
        if (!decoding.autoLanguage()) checkLanguage(decoding.language());
    }

    /** Mel bins of the Whisper export in {@code dir} (80, or 128 for large-v3), without loading it. */
    public static int melBins(Path dir) {
        WhisperFiles files = WhisperFiles.find(dir);
        if (files.layout() == WhisperFiles.Layout.SHERPA) {
            String n = dev.sotto.runtime.OnnxMetadata.read(files.encoder()).get("n_mels");
            if (n == null) throw new SottoException(files.encoder() + ": metadata 'n_mels' is missing");
            return Integer.parseInt(n.trim());
        }
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(files.config().toFile())
                    .path("num_mel_bins").asInt(80);
        } catch (java.io.IOException e) {
            throw new SottoException(files.config() + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Whether {@code dir} holds a Whisper export (sherpa-onnx or Hugging Face layout). */
    public static boolean looksLikeWhisper(Path dir) {
        return WhisperFiles.looksLikeWhisper(dir);
    }

    /**
     * Loads the Whisper export in {@code dir}. VAD mode ({@code decoding.vad()}) uses
     * {@code decoding.vadModel()}, else the Silero VAD model named by the system property
     * {@code sotto.vad.model} or the environment variable {@code SOTTO_VAD_MODEL}, else the
     * first {@code silero_vad*.onnx} in {@code dir}, then in its parent folder.
     */
    public static Engine load(Path dir, Runtime runtime, DecodingConfig decoding) {
        Path vadModel = decoding.vadModel() != null ? decoding.vadModel() : decoding.vad() ? SileroVad.find(dir) : null;
        return load(dir, runtime, decoding, vadModel);
    }

    /** As {@link #load(Path, Runtime, DecodingConfig)} with an explicit Silero VAD model file. */
    public static Engine load(Path dir, Runtime runtime, DecodingConfig decoding, Path vadModel) {
        WhisperFiles files = WhisperFiles.find(dir, runtime.onGpu());
        WhisperModel model = files.layout() == WhisperFiles.Layout.SHERPA
                ? SherpaWhisperModel.open(files, runtime) : HfWhisperModel.open(files, runtime);
        SileroVad vad = null;
        try {
            WhisperTokenizer tokenizer = readTokenizer(files);
            SpecialTokens special = SpecialTokens.forVocabulary(model.vocabSize());
            int[] nonSpeech = checkTokens(files, model, tokenizer, special);
            if (decoding.vad()) {
                if (vadModel == null) {
                    throw new SottoException("VAD mode needs a Silero VAD model: pass --vad-model FILE (silero_vad v5 or "
                            + "v6), put silero_vad.onnx in " + dir + " or its parent folder, or set SOTTO_VAD_MODEL");
                }
                vad = SileroVad.open(runtime, vadModel);
            }
            return new WhisperEngine(dir, model, tokenizer, special, nonSpeech, decoding, vad, runtime);
        } catch (RuntimeException e) {
            model.close();
            if (vad != null) vad.close();
            throw e;
        }
    }

    private static WhisperTokenizer readTokenizer(WhisperFiles f) {
        if (f.layout() == WhisperFiles.Layout.SHERPA) return WhisperTokenizer.fromRanks(f.tokenizer());
        if (f.merges() != null) return WhisperTokenizer.fromVocabJson(f.tokenizer(), f.merges(), f.addedTokens());
        return WhisperTokenizer.fromTokenizerJson(f.tokenizer());
    }

    /** Checks the files agree on the special tokens; returns the non-speech tokens to suppress. */
    private static int[] checkTokens(WhisperFiles files, WhisperModel model, WhisperTokenizer tokenizer, SpecialTokens s) {
        if (tokenizer.bpeSize() != s.eot()) {
            throw new SottoException(files.tokenizer() + ": has " + tokenizer.bpeSize() + " BPE tokens, but a Whisper model with "
                    + model.vocabSize() + " logits needs " + s.eot() + ". Is it the tokenizer of this model?");
        }
        if (model instanceof SherpaWhisperModel sherpa) {
            var meta = sherpa.encoderModel();
            expect(meta.file(), "sot", meta.metaInt("sot"), s.sot());
            expect(meta.file(), "eot", meta.metaInt("eot"), s.eot());
            expect(meta.file(), "translate", meta.metaInt("translate"), s.translate());
            expect(meta.file(), "transcribe", meta.metaInt("transcribe"), s.transcribe());
            expect(meta.file(), "no_timestamps", meta.metaInt("no_timestamps"), s.noTimestamps());
            expect(meta.file(), "no_speech", meta.metaInt("no_speech"), s.noSpeech());
            expect(meta.file(), "is_multilingual", meta.metaInt("is_multilingual"), s.multilingual() ? 1 : 0);
            String csv = meta.meta("non_speech_tokens", "").trim();
            if (!csv.isEmpty()) return Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } else {
            Map<String, Integer> expected = new LinkedHashMap<>();
            expected.put("<|endoftext|>", s.eot());
            expected.put("<|startoftranscript|>", s.sot());
            expected.put("<|notimestamps|>", s.noTimestamps());
            expected.put("<|0.00|>", s.timestampBegin());
            if (s.multilingual()) expected.put("<|en|>", s.languageToken("en"));
            expected.forEach((name, id) -> {
                Integer actual = tokenizer.addedToken(name);
                if (actual != null) expect(files.tokenizer(), name, actual, id);
            });
        }
        return tokenizer.nonSpeechTokens();
    }

    private static void expect(Path file, String what, int actual, int expected) {
        if (actual != expected) {
            throw new SottoException(file + ": " + what + " is token " + actual + ", but Whisper's layout for this "
                    + "vocabulary puts it at " + expected + ". The files do not belong together, or the export is unusual");
        }
    }

    private int checkLanguage(String language) {
        String code = Languages.normalize(language);
        if (!special.multilingual()) {
            if ("en".equals(code)) return 0;
            throw new SottoException("--language " + language + ": this is an English-only Whisper model (.en). "
                    + "Use --language en (or auto), or a multilingual model");
        }
        int token = code == null ? -1 : special.languageToken(code);
        if (token < 0) {
            throw new SottoException("--language " + language + ": not one of this model's " + special.languageCount()
                    + " languages (" + String.join(", ", special.languageCodes()) + ")");
        }
        return token;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public EngineStream newStream(StreamOptions options) {
        String language = options.language();
        String lang = language == null || language.isBlank() ? decoding.language() : language;
        String task = options.task() == null ? decoding.task() : options.task();
        if (task.equals("translate")) checkTranslates(info.name());
        int taskToken = task.equals("translate") ? special.translate() : special.transcribe();
        String promptText = options.prompt() == null ? decoding.prompt() : options.prompt();
        int[] prompt = promptText == null || promptText.isBlank() ? new int[0]
                : tail(tokenizer.encode(" " + promptText.strip()), model.textContext() / 2 - 1);
        boolean auto = lang.equalsIgnoreCase("auto");
        boolean detect = auto && special.multilingual();
        int token = detect ? -1 : checkLanguage(auto ? "en" : lang);
        String code = detect ? null : special.multilingual() ? special.languageCode(token) : "en";
        WhisperMel mel = new WhisperMel(model.nMels());
        WindowPlanner planner = vad != null
                ? new VadTranscriber(mel, settings, special.timestampBegin(), prompt, vad)
                : new LongFormTranscriber(mel, settings, special.timestampBegin(), prompt);
        return new WhisperStream(planner, new Transcript(tokenizer, special, model.aligns()), detect, token, code, taskToken);
    }

    private void checkTranslates(String model) {
        if (!special.multilingual()) {
            throw new SottoException(model + ": this is an English-only Whisper model (.en); it cannot translate. "
                    + "Use --task transcribe, or a multilingual model");
        }
    }

    private record Job(WhisperStream stream, Window window) {
    }

    @Override
    public synchronized void decode(List<EngineStream> streams) {
        List<Job> jobs = new ArrayList<>();
        for (EngineStream s : streams) {
            WhisperStream stream = (WhisperStream) s;
            for (Window w : stream.take(MAX_BATCH)) jobs.add(new Job(stream, w));
        }
        for (int from = 0; from < jobs.size(); from += MAX_BATCH) {
            decodeBatch(jobs.subList(from, Math.min(jobs.size(), from + MAX_BATCH)));
        }
    }

    private void decodeBatch(List<Job> jobs) {
        int frames = model.nMels() * WhisperMel.N_FRAMES;
        float[] mel = new float[jobs.size() * frames];
        for (int i = 0; i < jobs.size(); i++) System.arraycopy(jobs.get(i).window().mel(), 0, mel, i * frames, frames);
        try (WhisperModel.Audio audio = model.encode(mel, jobs.size())) {
            detectLanguages(audio, jobs);
            List<WindowDecoder.Request> requests = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) {
                Job job = jobs.get(i);
                int[] initial = initialTokens(job.stream().languageToken(), job.stream().taskToken(),
                        job.window().previousText());
                requests.add(new WindowDecoder.Request(i, initial, job.window().seed()));
            }
            DecodeResult[] results = decodeWithFallback(audio, requests);
            if (model.aligns()) {
                for (int i = 0; i < jobs.size(); i++) results[i] = align(audio, i, jobs.get(i), results[i]);
            }
            for (int i = 0; i < jobs.size(); i++) jobs.get(i).stream().complete(jobs.get(i).window(), results[i]);
        }
    }

    /**
     * Times the window's text tokens by cross-attention ({@link CrossAttentionAlignment}): the
     * decoder reads {@code sot_sequence <|notimestamps|> text <|endoftext|>} once, as openai's
     * {@code find_alignment} feeds it. A silent or empty window is left as it is.
     */
    private DecodeResult align(WhisperModel.Audio audio, int index, Job job, DecodeResult result) {
        if (result.isSilence(settings)) return result;
        List<Integer> sequence = new ArrayList<>();
        sequence.add(special.sot());
        if (special.multilingual()) {
            sequence.add(job.stream().languageToken());
            sequence.add(job.stream().taskToken());
        }
        int firstRow = sequence.size();
        sequence.add(special.noTimestamps());
        int text = 0;
        for (int t : result.tokens()) {
            if (t < special.eot()) {
                sequence.add(t);
                text++;
            }
        }
        if (text == 0) return result;
        sequence.add(special.eot());
        float[][][] weights = model.alignmentAttention(audio, index,
                sequence.stream().mapToInt(Integer::intValue).toArray());
        return result.withTextTokenStarts(
                CrossAttentionAlignment.rowStarts(weights, firstRow, job.window().segmentFrames() / 2));
    }

    /** Detects the language of each stream that still needs one, on its first window here. */
    private void detectLanguages(WhisperModel.Audio audio, List<Job> jobs) {
        List<Integer> first = new ArrayList<>();
        List<WhisperStream> seen = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            WhisperStream s = jobs.get(i).stream();
            if (s.needsLanguage() && !seen.contains(s)) {
                seen.add(s);
                first.add(i);
            }
        }
        if (first.isEmpty()) return;
        List<WindowDecoder.Language> found = decoder.detectLanguage(audio, first.stream().mapToInt(Integer::intValue).toArray());
        for (int k = 0; k < seen.size(); k++) seen.get(k).detected(found.get(k));
    }

    /** {@code [<|startofprev|> previous text] <|startoftranscript|> [language task] [<|notimestamps|>]}. */
    private int[] initialTokens(int languageToken, int taskToken, int[] previousText) {
        List<Integer> t = new ArrayList<>();
        int[] previous = tail(previousText, model.textContext() / 2 - 1);
        if (previous.length > 0) {
            t.add(special.sotPrev());
            for (int p : previous) t.add(p);
        }
        t.add(special.sot());
        if (special.multilingual()) {
            t.add(languageToken);
            t.add(taskToken);
        }
        if (settings.withoutTimestamps()) t.add(special.noTimestamps());
        return t.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Decodes at temperature 0, then again at each higher temperature for the windows whose
     * output was too repetitive or too unlikely (and not silence).
     */
    private DecodeResult[] decodeWithFallback(WhisperModel.Audio audio, List<WindowDecoder.Request> requests) {
        DecodeResult[] results = new DecodeResult[requests.size()];
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) todo.add(i);
        for (double t : settings.temperatures()) {
            Map<Integer, List<Integer>> byLength = new LinkedHashMap<>();
            for (int i : todo) byLength.computeIfAbsent(requests.get(i).initialTokens().length, k -> new ArrayList<>()).add(i);
            for (List<Integer> group : byLength.values()) {
                List<WindowDecoder.Request> batch = group.stream().map(requests::get).toList();
                List<DecodeResult> decoded = decoder.decode(audio, batch, t, settings);
                for (int k = 0; k < group.size(); k++) results[group.get(k)] = decoded.get(k);
            }
            todo.removeIf(i -> !results[i].needsFallback(settings));
            if (todo.isEmpty()) break;
        }
        return results;
    }

    /** Decodes one window of up to 30 s of samples in English, with fallback (for tests and tools). */
    DecodeResult decodeWindow(float[] samples) {
        WhisperMel mel = new WhisperMel(model.nMels());
        float[] frames = new float[model.nMels() * WhisperMel.N_FRAMES];
        mel.window(i -> samples[(int) i], samples.length, 0, WhisperMel.N_FRAMES, frames);
        try (WhisperModel.Audio audio = model.encode(frames, 1)) {
            int language = special.multilingual() ? special.languageToken("en") : 0;
            var request = new WindowDecoder.Request(0, initialTokens(language, special.transcribe(), new int[0]),
                    settings.seed());
            return decodeWithFallback(audio, List.of(request))[0];
        }
    }

    private static int[] tail(int[] tokens, int max) {
        return tokens.length <= max ? tokens : Arrays.copyOfRange(tokens, tokens.length - max, tokens.length);
    }

    @Override
    public void close() {
        model.close();
        if (vad != null) vad.close();
    }
}
