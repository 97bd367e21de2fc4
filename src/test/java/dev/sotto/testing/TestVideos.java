package dev.sotto.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_NONE;

/**
 * Small videos written by the tests with FFmpegFrameRecorder (mpeg4 in mp4, AAC sound): coloured
 * scenes with a square moving across them, cut from one colour to the next at known times, with
 * a real recording (../shared/audio/en/jfk.wav) as the sound track.
 */
public final class TestVideos {
    /** The scenes of {@link #scenes}: each colour's start time in seconds. */
    public static final List<Color> COLOURS = List.of(Color.RED, Color.GREEN, Color.BLUE, Color.WHITE);
    public static final double SCENE_SECONDS = 2.75;
    public static final int FPS = 10;

    private TestVideos() {
    }

    /** 11 s at 320x180 and 10 fps: four scenes of {@value #SCENE_SECONDS} s, cut at 2.75, 5.5 and 8.25 s, with jfk.wav as sound. */
    public static Path scenes(Path file) throws Exception {
        TestData.Audio speech = TestData.readWav(TestData.shared().resolve("audio/en/jfk.wav"));
        double seconds = COLOURS.size() * SCENE_SECONDS;
        return write(file, 320, 180, FPS, seconds, speech);
    }

    /** A video of {@code width}x{@code height} lasting {@code seconds}, at {@code fps}, without sound; cheap at a low rate. */
    public static Path silent(Path file, int width, int height, int fps, double seconds) throws Exception {
        return write(file, width, height, fps, seconds, null);
    }

    private static Path write(Path file, int width, int height, int fps, double seconds, TestData.Audio sound) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toString(), width, height, sound == null ? 0 : 1);
        Java2DFrameConverter converter = new Java2DFrameConverter();
        try {
            r.setFormat("mp4");
            r.setVideoCodecName("mpeg4");
            r.setFrameRate(fps);
            r.setVideoBitrate(Math.max(50_000, width * height));
            r.setGopSize(fps * 2);
            if (sound != null) {
                r.setAudioCodec(AV_CODEC_ID_NONE);
                r.setAudioCodecName("aac");
                r.setSampleRate(sound.sampleRate());
                r.setAudioBitrate(64_000);
            }
            r.start();
            int frames = (int) Math.round(seconds * fps);
            int perFrame = sound == null ? 0 : sound.sampleRate() / fps;
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            for (int f = 0; f < frames; f++) {
                double t = f / (double) fps;
                paint(image, t);
                r.record(converter.convert(image));
                if (sound != null) {
                    int from = f * perFrame;
                    int n = Math.max(0, Math.min(perFrame, sound.samples().length - from));
                    float[] piece = new float[perFrame];
                    if (n > 0) System.arraycopy(sound.samples(), from, piece, 0, n);
                    r.recordSamples(sound.sampleRate(), 1, FloatBuffer.wrap(piece));
                }
            }
            r.stop();
        } finally {
            r.release();
            converter.close();
        }
        return file;
    }

    /** The colour of the scene at {@code t}, with a dark square moving left to right. */
    private static void paint(BufferedImage image, double t) {
        Graphics2D g = image.createGraphics();
        int scene = Math.min(COLOURS.size() - 1, (int) (t / SCENE_SECONDS));
        g.setColor(COLOURS.get(scene));
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        int side = Math.max(2, image.getHeight() / 5);
        double phase = (t % SCENE_SECONDS) / SCENE_SECONDS;
        g.setColor(Color.DARK_GRAY);
        g.fillRect((int) (phase * (image.getWidth() - side)), (image.getHeight() - side) / 2, side, side);
        g.dispose();
    }
}
