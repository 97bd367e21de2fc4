package dev.sotto.recognizer;

import static dev.sotto.recognizer.OfflineNemoTest.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.engine.DecodingConfig;
import dev.sotto.engine.Result;
import dev.sotto.testing.ParakeetSpeech;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Many streams in one {@link Recognizer#decode(List)}: their pieces (whole clips, and the
 * pieces of the long ones) are packed into encoder calls, padded to the longest with each
 * one's length. Token for token, time for time, the results equal decoding one at a time.
 */
class OfflineBatchingTest {
    static final List<String> CLIPS = List.of("en-fox", "en-short", "en-hello", "en-long", "en-repeats", "en-silence",
            "en-long-tones", "en-stutter", "en-soft", "en-vad");

    @ParameterizedTest
    @CsvSource({"parakeet-tdt-v2, 4, 1", "parakeet-tdt-v2, 16, 1", "parakeet-tdt-v2, 16, 4", "parakeet-rnnt, 16, 1",
            "parakeet-ctc, 16, 1", "parakeet-ctc, 4, 4", "fastconformer-hybrid-ctc, 16, 1"})
    void batchedResultsEqualOneAtATime(String model, int batchSize, int beam) {
        Map<String, Result> single = new LinkedHashMap<>();
        try (Recognizer r = OfflineNemoTest.recognizer(model, DecodingConfig.builder().beamSize(beam).build())) {
            for (String name : CLIPS) single.put(name, decode(r, ParakeetSpeech.named(name).samples(), 8000));
        }
        DecodingConfig batched = DecodingConfig.builder().beamSize(beam).batchSize(batchSize).build();
        try (Recognizer r = OfflineNemoTest.recognizer(model, batched)) {
            List<RecognitionStream> streams = new ArrayList<>();
            for (String name : CLIPS) {
                RecognitionStream s = r.createStream();
                s.acceptWaveform(ParakeetSpeech.named(name).samples());
                streams.add(s);
            }
            for (RecognitionStream s : streams) assertFalse(r.isReady(s) && s.secondsAccepted() < 30,
                    "a short clip waits for its end (or a full batch)");
            streams.forEach(RecognitionStream::inputFinished);
            r.decode(streams);
            for (int i = 0; i < CLIPS.size(); i++) {
                RecognitionStream s = streams.get(i);
                assertTrue(r.isDone(s), CLIPS.get(i) + " decoded in one call");
                assertEquals(single.get(CLIPS.get(i)), r.getResult(s), model + " " + CLIPS.get(i) + " batched by " + batchSize);
                s.close();
            }
        }
    }
}
