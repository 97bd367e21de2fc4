package dev.sotto.diarize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Agglomerative clustering and turn smoothing on hand-made inputs with known answers. */
class ClusteringTest {
    // Three directions, two or three noisy copies of each, interleaved.
    private static final float[][] VECTORS = {
            {1, 0.05f, 0}, {0, 1, 0.1f}, {0.95f, 0, 0.1f}, {0, 0, 1}, {0.1f, 0.9f, 0}, {0.05f, 0, 0.97f}, {1, 0.1f, 0.05f},
    };

    @Test
    void aThresholdBetweenTheGroupsFindsThem() {
        assertArrayEquals(new int[] {0, 1, 0, 2, 1, 2, 0}, Clustering.cluster(VECTORS, 0.5, 0, 1, 0));
    }

    @Test
    void aGivenCountWinsOverTheThreshold() {
        int[] two = Clustering.cluster(VECTORS, 0.5, 2, 1, 0);
        assertEquals(2, java.util.Arrays.stream(two).distinct().count());
        int[] seven = Clustering.cluster(VECTORS, 0.0, 0, 1, 0);
        assertEquals(7, java.util.Arrays.stream(seven).distinct().count(), "threshold 0 merges nothing");
        int[] capped = Clustering.cluster(VECTORS, 0.0, 0, 1, 4);
        assertEquals(4, java.util.Arrays.stream(capped).distinct().count(), "max speakers caps the count");
        int[] floor = Clustering.cluster(VECTORS, 1.9, 0, 2, 0);
        assertEquals(2, java.util.Arrays.stream(floor).distinct().count(), "min speakers stops merging");
    }

    @Test
    void shortTurnsGoToTheirNeighboursAndGapsOfOneSpeakerClose() {
        List<Turns.Piece> pieces = List.of(new Turns.Piece(5, 0.0, 2.0), new Turns.Piece(7, 2.0, 2.2),
                new Turns.Piece(5, 2.2, 4.0), new Turns.Piece(5, 4.5, 6.0), new Turns.Piece(9, 8.0, 10.0));
        List<SpeakerTurn> turns = Turns.smooth(pieces, 0.5, 1.0);
        assertEquals(List.of(new SpeakerTurn(0, 0.0, 6.0), new SpeakerTurn(1, 8.0, 10.0)), turns);
    }

    @Test
    void aWordGoesToTheSpeakerAtItsMidpointOrTheNearestTurn() {
        Diarization d = new Diarization(List.of(new SpeakerTurn(0, 0, 2), new SpeakerTurn(1, 3, 5)), 2, "test", List.of());
        assertEquals(0, d.speakerOf(1.5, 2.4), "midpoint 1.95 is in the first turn");
        assertEquals(1, d.speakerOf(2.0, 3.6), "midpoint 2.8 is nearer the second");
        assertEquals(1, d.speakerOf(6.0, 7.0), "after the last turn: the last");
    }
}
