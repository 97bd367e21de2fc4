package dev.sotto.whisper;

/**
 * A 30 s window ready to decode.
 *
 * @param mel           {@code [nMels][3000]} log-mel frames
 * @param offset        seconds from the start of the stream to the window's first frame
 * @param seekFrames    the window start in 10 ms frames (reported as a segment's "seek")
 * @param segmentFrames frames of the window that hold audio (3000, less at the end)
 * @param previousText  tokens that condition the decoder (after {@code <|startofprev|>})
 * @param seed          seed of the sampling at temperatures above 0
 * @param end           seconds from the start of the stream to the window's last sample of audio
 */
record Window(float[] mel, double offset, int seekFrames, int segmentFrames, int[] previousText, long seed, double end) {
}
