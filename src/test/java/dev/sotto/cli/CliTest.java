package dev.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sotto.features.NemoMel;
import dev.sotto.features.Npy;
import dev.sotto.testing.SyntheticSpeech;
import dev.sotto.testing.TestData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sotto command line, run in-process: what goes to stdout, stderr and the exit status. */
class CliTest {
    static final String EN = TestData.testModels().resolve("nemotron-en").toString();
    static final String ML = TestData.testModels().resolve("nemotron-multilingual").toString();

    record Run(int status, String out, String err) {
    }

    static Run sotto(String... args) {
        return sottoWithInput(null, args);
    }

    static Run sottoWithInput(byte[] stdin, String... args) {
        return sottoWithEnv(null, stdin, args);
    }

    /** With {@code env} as the environment the CLI reads (null: the process's). */
    static synchronized Run sottoWithEnv(java.util.Map<String, String> env, byte[] stdin, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            if (stdin != null) System.setIn(new ByteArrayInputStream(stdin));
            int status = Main.run(env, args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
    }

    static String wav(String name) {
        return SyntheticSpeech.nemo(name).wav().toString();
    }

    @Test
    void textIsOneLinePerFileAndNothingElse() {
        Run r = sotto("transcribe", "--model", EN, "--device", "cpu", wav("en-fox"), wav("en-hello"));
        assertEquals(0, r.status(), r.err());
        assertEquals("the quick brown fox jumps over the lazy dog\nHello, world. Streaming speech recognition is fun!\n",
                r.out());
        assertTrue(r.err().contains("on cpu, CPUExecutionProvider"), "the provider in use goes to stderr: " + r.err());
    }

    @Test
    void jsonHasTheDocumentedFields() throws Exception {
        Run r = sotto("transcribe", "--model", ML, "--acceleration", "high", "--format", "json", wav("ml-de"));
        assertEquals(0, r.status(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertEquals("Guten Tag, Welt!", o.get("text").asText());
        assertEquals("de-DE", o.get("language").asText());
        assertEquals(320, o.get("chunk_ms").asInt());
        assertEquals("cpu", o.get("device").asText());
        assertEquals("CPUExecutionProvider", o.get("provider").asText());
        assertTrue(o.get("provider_reason").asText().startsWith("auto: no GPU used: "), o.toString());
        assertEquals(SyntheticSpeech.nemo("ml-de").duration(), o.get("duration").asDouble(), 1e-3);
        assertEquals(" Guten", o.get("tokens").get(0).get("text").asText());
        assertEquals(0.40, o.get("tokens").get(0).get("start").asDouble(), 1e-9);
        assertEquals("Guten Tag, Welt!", o.get("segments").get(0).get("text").asText());
        assertTrue(o.has("model") && o.get("segments").get(0).has("start") && o.get("segments").get(0).has("end"));
    }

    @Test
    void subtitlesHaveOneCuePerSegment() {
        Run srt = sotto("transcribe", "--model", EN, "--chunk-ms", "160", "--format", "srt", wav("en-endpoints"));
        assertEquals(0, srt.status(), srt.err());
        assertTrue(srt.out().startsWith("1\n00:00:00,400 --> "), srt.out());
        assertTrue(srt.out().contains("\n2\n") && srt.out().contains("\n3\n") && srt.out().contains("one two\n"), srt.out());
        Run vtt = sotto("transcribe", "--model", EN, "--format", "vtt", wav("en-endpoints"));
        assertTrue(vtt.out().startsWith("WEBVTT\n\n00:00:00.400 --> "), vtt.out());
    }

    @Test
    void streamPrintsEachSegmentWhenItEnds() {
        Run r = sotto("transcribe", "--model", EN, "--chunk-ms", "80", "--stream", wav("en-endpoints"));
        assertEquals(0, r.status(), r.err());
        assertEquals("The cat sat on a mat.\nwe talked for hours about it\none two\n", r.out());
        Run json = sotto("transcribe", "--model", EN, "--chunk-ms", "80", "--stream", "--format", "json", wav("en-fox"));
        String[] lines = json.out().split("\n");
        assertTrue(lines[0].contains("\"type\":\"partial\"") && lines[0].contains("\"text\":\"the\""), lines[0]);
        assertTrue(lines[lines.length - 1].contains("\"type\":\"result\""), json.out());
    }

    @Test
    void stdinIsReadWithDash() throws Exception {
        byte[] bytes = Files.readAllBytes(Path.of(wav("en-fox")));
        Run r = sottoWithInput(bytes, "transcribe", "--model", EN, "-");
        assertEquals(0, r.status(), r.err());
        assertEquals("the quick brown fox jumps over the lazy dog\n", r.out());
    }

    @Test
    void inputWithoutSamplesIsAnErrorNotSilence(@TempDir Path tmp) throws Exception {
        Path fake = Files.writeString(tmp.resolve("x.flac"), "hello this is text\n".repeat(50));
        Path headerOnly = Files.write(tmp.resolve("header-only.wav"), wavHeaderWithoutData());
        Run r = sotto("transcribe", "--model", EN, fake.toString(), headerOnly.toString());
        assertEquals(1, r.status(), r.err());
        assertEquals("", r.out(), "no transcript, not even an empty line");
        assertOneLine(r, fake, " is not an audio or video file");
        assertOneLine(r, headerOnly, ": no audio samples could be decoded");
    }

    /** Exactly one line of stderr names {@code file}: "sotto: FILE" followed by {@code rest}. */
    private static void assertOneLine(Run r, Path file, String rest) {
        List<String> lines = r.err().lines().filter(l -> l.contains(file.toString())).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("sotto: " + file + rest), r.err());
    }

    /** A 16 kHz mono 16-bit WAV header whose data chunk is empty. */
    private static byte[] wavHeaderWithoutData() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36).put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII));
        b.putInt(16).putShort((short) 1).putShort((short) 1).putInt(16000).putInt(32000).putShort((short) 2)
                .putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(0);
        return b.array();
    }

    @Test
    void badInputsAreReportedAndTheOtherFilesStillRun(@TempDir Path tmp) throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.txt"), "not audio at all\n");
        Run r = sotto("transcribe", "--model", EN, tmp.resolve("missing.wav").toString(), text.toString(), wav("en-fox"));
        assertEquals(1, r.status());
        assertEquals("the quick brown fox jumps over the lazy dog\n", r.out(), "the good file is still transcribed");
        assertTrue(r.err().contains("Audio file not found"), r.err());
        assertTrue(r.err().contains("is not an audio or video file"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void userErrorsAreOneLineAndUsageErrorsExit2() {
        Run cuda = sotto("transcribe", "--model", EN, "--device", "cuda", wav("en-fox"));
        assertEquals(1, cuda.status());
        assertEquals("", cuda.out(), "no fallback to the CPU: nothing transcribed");
        assertTrue(cuda.err().startsWith("sotto: --device cuda:0: this build of Sotto has the CPU-only ONNX Runtime. ")
                && cuda.err().contains("SOTTO_GPU=1 ./sotto"), cuda.err());
        Run chunk = sotto("transcribe", "--model", EN, "--chunk-ms", "320", wav("en-fox"));
        assertEquals(1, chunk.status());
        assertTrue(chunk.err().contains("Chunk sizes available: 80 ms (high), 160 ms (medium), 560 ms (low), 1120 ms (none)"),
                chunk.err());
        Run format = sotto("transcribe", "--model", EN, "--format", "docx", wav("en-fox"));
        assertEquals(1, format.status());
        assertTrue(format.err().contains("unknown format 'docx'"), format.err());
        Run usage = sotto("transcribe", wav("en-fox"));
        assertEquals(2, usage.status());
        assertTrue(usage.err().contains("Missing required option: '--model=DIR|NAME'"), usage.err());
        assertFalse((cuda.err() + chunk.err() + format.err()).contains("\tat "), "no stack trace");
    }

    @Test
    void autoPicksTheCpuHereAndSaysWhy() {
        Run r = sotto("transcribe", "--model", EN, "--device", "auto", wav("en-fox"));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("on cpu, CPUExecutionProvider (auto: no GPU used: this build of Sotto has the CPU-only "
                + "ONNX Runtime)"), r.err());
    }

    @Test
    void doctorReportsThisMachineAndExitsByTheAskedDevice() throws Exception {
        Run auto = sotto("doctor");
        assertEquals(0, auto.status(), "auto works: it runs on the CPU\n" + auto.out() + auto.err());
        for (String part : new String[] {"ONNX Runtime    1.29.0, providers: CPUExecutionProvider (the CPU-only package)",
                "NVIDIA driver   not found: the dynamic loader does not find libcuda.so.1", "libcudnn.so.9",
                "cpu             works", "asked           auto -> cpu: works (no GPU used: ", "What to do:",
                "SOTTO_GPU=1 ./sotto doctor --device cuda"}) {
            assertTrue(auto.out().contains(part), part + " in\n" + auto.out());
        }
        Run cuda = sotto("doctor", "--device", "cuda");
        assertEquals(1, cuda.status(), "cuda does not work here\n" + cuda.out());
        assertTrue(cuda.out().contains("cuda:0          does not work: this build of Sotto has the CPU-only ONNX Runtime")
                && cuda.out().contains("asked           cuda:0: DOES NOT WORK"), cuda.out());
        Run cpu = sotto("doctor", "--device", "cpu");
        assertEquals(0, cpu.status());
        assertFalse(cpu.out().contains("What to do"), "the CPU works: nothing to do\n" + cpu.out());

        Run json = sotto("doctor", "--device", "cuda:1", "--format", "json");
        assertEquals(1, json.status());
        JsonNode o = new ObjectMapper().readTree(json.out());
        assertEquals("1.29.0", o.at("/onnxruntime/version").asText());
        assertFalse(o.at("/onnxruntime/cuda_provider").asBoolean());
        assertEquals(15, o.get("libraries").size());
        assertEquals("libcudart.so.12", o.at("/libraries/0/name").asText());
        assertTrue(o.at("/devices/cpu/works").asBoolean());
        assertFalse(o.at("/devices/cuda:1/works").asBoolean());
        assertEquals("cuda:1", o.get("asked").asText());
        assertFalse(o.get("works").asBoolean());
        assertTrue(o.get("advice").size() >= 1);
        assertEquals(2, sotto("doctor", "--bogus").status());
    }

    @Test
    void outputDirGetsOneFilePerInput(@TempDir Path tmp) throws Exception {
        Run r = sotto("transcribe", "--model", EN, "--format", "vtt", "-o", tmp.toString(), wav("en-fox"), wav("en-hello"));
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.out());
        assertTrue(Files.readString(tmp.resolve("en-fox.vtt")).contains("the quick brown fox"));
        assertTrue(Files.readString(tmp.resolve("en-hello.vtt")).startsWith("WEBVTT"));
    }

    @Test
    void inputsWithOneNameDoNotOverwriteEachOther(@TempDir Path tmp) throws Exception {
        Path flac = tmp.resolve("in/en-fox.flac");
        Files.createDirectories(flac.getParent());
        Path wavCopy = tmp.resolve("in/en-fox.wav");
        Files.copy(Path.of(wav("en-fox")), wavCopy);
        Files.copy(Path.of(wav("en-hello")), flac);   // a WAV under a .flac name: FFmpeg reads the content
        Path out = tmp.resolve("out");
        Run r = sotto("transcribe", "--model", EN, "--format", "vtt", "-o", out.toString(), wavCopy.toString(), flac.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.readString(out.resolve("en-fox.vtt")).contains("the quick brown fox"));
        assertTrue(Files.exists(out.resolve("en-fox.flac.vtt")), r.err());
        assertFalse(Files.readString(out.resolve("en-fox.flac.vtt")).contains("the quick brown fox"));
    }

    @Test
    void featuresWritesTheModelsFrontEndAsNpy(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("x.npy");
        Run r = sotto("features", "--model", EN, wav("en-fox"), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        Npy.Array a = Npy.read(out);
        float[] samples = SyntheticSpeech.nemo("en-fox").samples();
        assertEquals(samples.length / 160 + 1, a.shape()[0]);
        assertEquals(128, a.shape()[1]);
        NemoMel mel = new NemoMel(128);
        mel.accept(samples, 0, samples.length);
        mel.finish();
        float[] frame = new float[128];
        mel.copyFrames(100, 1, frame, 0);
        for (int i = 0; i < 128; i++) assertEquals(frame[i], a.data()[100 * 128 + i]);
        assertTrue(r.err().contains("NeMo log-mel, 128 bins, not normalised"), r.err());
    }

    @Test
    void evalReportsTheCorpusWer() throws Exception {
        String manifest = TestData.testModels().resolve("nemo-audio/manifest.tsv").toString();
        Run r = sotto("eval", "--model", ML, "--manifest", manifest, "--lang", "ja", "--format", "json");
        assertEquals(0, r.status(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertEquals(0.0, o.get("cer").asDouble(), "Japanese is scored by characters, and decodes exactly");
        assertEquals(1, o.get("utterances").size());
        Run text = sotto("eval", "--model", EN, "--manifest", manifest, "--lang", "en");
        assertTrue(text.out().contains("WER 0.00%") && text.out().contains("5 utterances"), text.out());
        // the English clips speak the English model's tone code: the multilingual model gets them wrong
        Run wrong = sotto("eval", "--model", ML, "--manifest", manifest, "--lang", "en", "--format", "json");
        assertTrue(new ObjectMapper().readTree(wrong.out()).get("wer").asDouble() > 0.5);
    }

    @Test
    void benchWritesJsonAndSvgAndPrintsTheTable(@TempDir Path tmp) throws Exception {
        String manifest = TestData.testModels().resolve("nemo-audio/manifest.tsv").toString();
        Run r = sotto("bench", "--model", EN, "--manifest", manifest, "--lang", "en", "--chunk-ms", "160,560,320",
                "--out", tmp.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("has no 320 ms export"), r.err());
        assertEquals(4, r.out().split("\n").length, "header, rule and two rows: " + r.out());
        JsonNode o = new ObjectMapper().readTree(tmp.resolve("bench.json").toFile());
        assertEquals(2, o.get("rows").size());
        assertTrue(Files.readString(tmp.resolve("bench.svg")).startsWith("<svg"));
    }

    static final Path WHISPER = TestData.testModels().resolve("whisper");

    @Test
    void whisperThroughTheCliLongFormVerboseJsonAndSilence() throws Exception {
        Path audio = WHISPER.resolve("whisper-audio/mel128");
        JsonNode expected = new ObjectMapper().readTree(audio.resolve("expected.json").toFile());
        JsonNode longCase = null;
        for (JsonNode c : expected) if (c.get("name").asText().equals("long")) longCase = c;
        StringBuilder text = new StringBuilder();
        for (JsonNode seg : longCase.get("segments")) text.append(seg.get("text").asText());
        // 121 s through the feeding thread: Whisper needs 30 s before its first step
        Run r = sotto("transcribe", "--model", WHISPER.resolve("sherpa-large-v3").toString(), "--beam-size", "1",
                audio.resolve("long.wav").toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(text.toString().strip() + "\n", r.out());

        Run verbose = sotto("transcribe", "--model", WHISPER.resolve("hf-large-v3-turbo").toString(), "--format",
                "verbose_json", audio.resolve("two-segments.wav").toString());
        JsonNode o = new ObjectMapper().readTree(verbose.out());
        assertEquals("english", o.get("language").asText());
        assertEquals("transcribe", o.get("task").asText());
        JsonNode first = o.get("segments").get(0);
        for (String field : new String[] {"id", "seek", "start", "end", "text", "tokens", "temperature", "avg_logprob",
                "compression_ratio", "no_speech_prob"}) {
            assertTrue(first.has(field), "verbose_json segment field " + field);
        }
        assertEquals(" Hello world.", first.get("text").asText());
        assertTrue(o.get("words").size() >= 2);

        Run silence = sotto("transcribe", "--model", WHISPER.resolve("sherpa-base-int8").toString(),
                TestData.shared().resolve("audio/special/silence.wav").toString());
        assertEquals(0, silence.status(), silence.err());
        assertEquals("\n", silence.out(), "no hallucination on silence");
        Run chunk = sotto("transcribe", "--model", WHISPER.resolve("hf-tiny").toString(), "--chunk-ms", "160",
                audio.resolve("two-segments.wav").toString());
        assertEquals(1, chunk.status());
        assertTrue(chunk.err().contains("is a Whisper model"), chunk.err());
    }

    @Test
    void featuresFollowEachFamilysFrontEnd(@TempDir Path tmp) {
        String jfk = TestData.shared().resolve("audio/en/jfk.wav").toString();
        Run kaldi = sotto("features", "--model", TestData.shared().resolve("models/zipformer-gigaspeech-3.3m").toString(), jfk,
                "--out", tmp.resolve("k.npy").toString());
        assertEquals(0, kaldi.status(), kaldi.err());
        assertEquals(List.of(1100, 80), shape(Npy.read(tmp.resolve("k.npy"))), "round(N / 160) Kaldi frames");
        Run whisper = sotto("features", "--model", WHISPER.resolve("hf-large-v3-turbo").toString(), jfk,
                "--out", tmp.resolve("w.npy").toString());
        assertEquals(0, whisper.status(), whisper.err());
        Npy.Array w = Npy.read(tmp.resolve("w.npy"));
        assertEquals(List.of(1100, 128), shape(w), "N / 160 Whisper frames (the last STFT frame dropped)");
        float max = Float.NEGATIVE_INFINITY;
        for (float v : w.data()) max = Math.max(max, v);
        assertTrue(max <= 4 && max > 0, "normalised as (log10 + 4) / 4: " + max);
    }

    static List<Integer> shape(Npy.Array a) {
        return java.util.Arrays.stream(a.shape()).boxed().toList();
    }

    @Test
    void optimisedGraphsAreKeptWhereSottoOrtCacheSaysAndNotWithZero(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("ort");
        String[] args = {"transcribe", "--model", EN, "--device", "cpu", wav("en-fox")};
        Run first = sottoWithEnv(java.util.Map.of("SOTTO_ORT_CACHE", cache.toString()), null, args);
        assertEquals(0, first.status(), first.err());
        List<Path> kept;
        try (var files = Files.list(cache)) {
            kept = files.sorted().toList();
        }
        assertFalse(kept.isEmpty(), "the model's graphs are kept");
        Run again = sottoWithEnv(java.util.Map.of("SOTTO_ORT_CACHE", cache.toString()), null, args);
        assertEquals(0, again.status(), again.err());
        assertEquals("the quick brown fox jumps over the lazy dog\n", again.out(), "loaded from the cache, the same text");
        assertEquals(first.out(), again.out());
        try (var files = Files.list(cache)) {
            assertEquals(kept, files.sorted().toList(), "a second run adds nothing");
        }

        Path home = dir.resolve("home");
        Run off = sottoWithEnv(java.util.Map.of("SOTTO_ORT_CACHE", "0", "SOTTO_HOME", home.toString()), null, args);
        assertEquals(0, off.status(), off.err());
        assertEquals(first.out(), off.out());
        assertFalse(Files.exists(home.resolve("onnxruntime")), "SOTTO_ORT_CACHE=0 keeps nothing");
        Run byDefault = sottoWithEnv(java.util.Map.of("SOTTO_HOME", home.toString()), null, args);
        assertEquals(0, byDefault.status(), byDefault.err());
        assertTrue(Files.isDirectory(home.resolve("onnxruntime")), "by default in SOTTO_HOME/onnxruntime");
    }
}
