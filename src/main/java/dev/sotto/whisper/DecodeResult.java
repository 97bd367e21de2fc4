package dev.sotto.whisper;

/**
 * One decoded window (openai's {@code DecodingResult}): the sampled tokens (timestamps
 * included, end-of-text excluded), their text, and the statistics the long-form rules
 * look at. {@code textTokenStarts}: where the cross-attention alignment puts the start of
 * each text token, and after them the end of the last, in seconds from the window's start;
 * null without alignment.
 */
record DecodeResult(int[] tokens, String text, double avgLogprob, double noSpeechProb, double temperature,
                    double compressionRatio, double[] textTokenStarts) {

    DecodeResult(int[] tokens, String text, double avgLogprob, double noSpeechProb, double temperature,
                 double compressionRatio) {
        this(tokens, text, avgLogprob, noSpeechProb, temperature, compressionRatio, null);
    }

    DecodeResult withTextTokenStarts(double[] starts) {
        return new DecodeResult(tokens, text, avgLogprob, noSpeechProb, temperature, compressionRatio, starts);
    }

    /** The output is too repetitive or too unlikely, and not simply silence: try a higher temperature. */
    boolean needsFallback(WhisperSettings s) {
        boolean failed = compressionRatio > s.compressionRatioThreshold() || avgLogprob < s.logprobThreshold();
        boolean silence = noSpeechProb > s.noSpeechThreshold() && avgLogprob < s.logprobThreshold();
        return failed && !silence;
    }

    /** Whisper's no-speech rule: probably silence, and the text is not confident enough to keep. */
    boolean isSilence(WhisperSettings s) {
        return noSpeechProb > s.noSpeechThreshold() && !(avgLogprob > s.logprobThreshold());
    }

    /** zlib's compression ratio of the text: repetitive output compresses well (openai's compression_ratio). */
    static double compressionRatio(String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length == 0) return 0;
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();   // zlib format, level 6 like zlib.compress
        deflater.setInput(bytes);
        deflater.finish();
        byte[] buffer = new byte[bytes.length + 64];
        int size = 0;
        while (!deflater.finished()) size += deflater.deflate(buffer);
        deflater.end();
        return (double) bytes.length / size;
    }
}
