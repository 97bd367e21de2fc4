package dev.sotto.zipformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sotto.recognizer.RecognitionStream;
import dev.sotto.recognizer.Recognizer;
import dev.sotto.engine.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A regression oracle: the exact transcripts of real clips with the real model in
 * ../shared. The greedy ones are also sherpa-onnx 1.13.4's, token for token and time for
 * time (see ZipformerReferenceTest); the beam-search ones are Sotto's own. Any change to
 * the front end, the encoder's state handling, the prediction network or the searches that
 * is not bit-for-bit neutral is likely to change one of them.
 */
class ZipformerTranscriptTest {
    private static final String LEOPARD = "en/leopard-test-en.wav";
    private static final String GIGASPEECH = "en/librispeech-gigaspeech-test-0.wav";
    private static final String JFK = "en/jfk.wav";

    private static void assertTranscript(Result result, String text, int tokens, double firstStart, double lastStart) {
        assertEquals(text, result.text());
        assertEquals(tokens, result.tokens().size(), "tokens");
        assertEquals(firstStart, result.tokens().get(0).start(), 1e-9, "first token start (s)");
        assertEquals(lastStart, result.tokens().get(tokens - 1).start(), 1e-9, "last token start (s)");
    }

    @Test
    void greedySearch() {
        try (Recognizer recognizer = SharedZipformer.recognizer(1)) {
            assertTranscript(SharedZipformer.transcribe(recognizer, SharedZipformer.audio(LEOPARD), 16000),
                    "MR QUILTOR IS THE APOSTLE OF THE MIDDLE CLASSES AND WE ARE GLAD TO WELCOME HIS GOSPEL", 39, 0.78, 5.46);
            assertTranscript(SharedZipformer.transcribe(recognizer, SharedZipformer.audio(GIGASPEECH), 16000),
                    "AFTER EARLY NIGHT FALL THE YELLOW LAMPS WOULD LIGHT UP HERE AND THERE THE SQUALAD QUARTER OF THE "
                            + "BRATHELS", 42, 0.62, 6.18);
        }
    }

    @Test
    void modifiedBeamSearchOfFour() {
        try (Recognizer recognizer = SharedZipformer.recognizer(4)) {
            // Beam search mends greedy's "NIGHT FALL", "SQUALAD" and, below, "WHAT YOU ARE COUNTRY".
            assertTranscript(SharedZipformer.transcribe(recognizer, SharedZipformer.audio(GIGASPEECH), 16000),
                    "AFTER EARLY NIGHTFALL THE YELLOW LAMPS WOULD LIGHT UP HERE AND THERE THE SQUALID QUARTER OF THE "
                            + "BRATHELS", 43, 0.62, 6.18);
            assertTranscript(SharedZipformer.transcribe(recognizer, SharedZipformer.audio(JFK), 16000),
                    "AND SO MY FELLOW AMERICAN ASK NOT WHAT YOUR COUNTRY CAN DO FOR YOU ASK WHAT YOU CAN DO FOR YOUR "
                            + "COUNTRY", 29, 0.54, 10.54);
        }
    }

    @Test
    void resultDoesNotDependOnHowTheAudioArrives() {
        float[] audio = SharedZipformer.audio(JFK);
        try (Recognizer recognizer = SharedZipformer.recognizer(1)) {
            Result whole = SharedZipformer.transcribe(recognizer, audio, audio.length);
            for (int piece : new int[] {160, 1001, 5120}) {
                Result pieces = SharedZipformer.transcribe(recognizer, audio, piece);
                assertEquals(whole.text(), pieces.text(), "pieces of " + piece);
                assertEquals(whole.tokens(), pieces.tokens(), "pieces of " + piece);
            }
        }
    }

    @Test
    void streamsDecodedTogetherGiveWhatEachGivesAlone() {
        List<float[]> clips = List.of(SharedZipformer.audio(LEOPARD), SharedZipformer.audio(GIGASPEECH),
                SharedZipformer.audio(JFK));
        for (int beam : new int[] {1, 4}) {
            try (Recognizer recognizer = SharedZipformer.recognizer(beam)) {
                List<RecognitionStream> streams = new ArrayList<>();
                for (float[] clip : clips) {
                    RecognitionStream s = recognizer.createStream();
                    s.acceptWaveform(clip);
                    s.inputFinished();
                    streams.add(s);
                }
                while (streams.stream().anyMatch(recognizer::isReady)) recognizer.decode(streams);
                for (int i = 0; i < clips.size(); i++) {
                    Result alone = SharedZipformer.transcribe(recognizer, clips.get(i), clips.get(i).length);
                    Result together = recognizer.getResult(streams.get(i));
                    assertEquals(alone.text(), together.text(), "clip " + i + ", beam " + beam);
                    assertEquals(alone.tokens(), together.tokens(), "clip " + i + ", beam " + beam);
                }
                streams.forEach(RecognitionStream::close);
            }
        }
    }
}
