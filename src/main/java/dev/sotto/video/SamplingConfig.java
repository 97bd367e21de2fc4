package dev.sotto.video;

/**
 * How frames are picked: {@code frames} in all (uniformly spaced, up to half of them replaced
 * by the strongest scene changes), each scaled so its longer side is at most {@code maxSide}
 * pixels (never enlarged), encoded as JPEG at {@code jpegQuality} (0–1).
 * {@code sceneThreshold} is the mean luma change (0–1) between two looks 0.1 s apart above
 * which a frame counts as a scene change.
 */
public record SamplingConfig(int frames, int maxSide, float jpegQuality, double sceneThreshold) {
    public static final int MAX_FRAMES = 64;
    public static final SamplingConfig DEFAULT = new SamplingConfig(16, 768, 0.85f, 0.12);

    public SamplingConfig {
        if (frames < 1 || frames > MAX_FRAMES) {
            throw new IllegalArgumentException("frames must be 1.." + MAX_FRAMES + ", got " + frames);
        }
        if (maxSide < 32 || maxSide > 4096) throw new IllegalArgumentException("maxSide must be 32..4096, got " + maxSide);
        if (!(jpegQuality > 0 && jpegQuality <= 1)) throw new IllegalArgumentException("jpegQuality must be in (0, 1]");
    }

    public SamplingConfig withFrames(int n) {
        return new SamplingConfig(n, maxSide, jpegQuality, sceneThreshold);
    }

    public SamplingConfig withMaxSide(int side) {
        return new SamplingConfig(frames, side, jpegQuality, sceneThreshold);
    }
}
