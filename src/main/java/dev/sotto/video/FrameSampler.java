package dev.sotto.video;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Picks the frames a vision-language model sees: uniformly spaced over the video, with up to
 * half of them swapped for the strongest scene changes, each scaled down and encoded as JPEG.
 *
 * <p>One pass over the file, one decoded frame in memory at a time: every frame is decoded
 * (that is what finding cuts needs), but only about ten a second are converted from the
 * codec's pixel format, each reduced to a 32×18 grid of luma values and compared with the
 * previous look (mean absolute difference, 0–1). What is kept are the JPEG bytes of at most
 * {@code 1.5 × frames} candidates.
 */
public final class FrameSampler {
    /** One picked frame: its time from the start, the JPEG bytes and size, and why it was picked. */
    public record SampledFrame(double seconds, byte[] jpeg, int width, int height, boolean sceneChange) {
    }

    private static final double LOOK_INTERVAL = 0.1;
    private static final double MIN_SCENE_SPACING = 0.5;
    private static final int GRID_W = 32;
    private static final int GRID_H = 18;

    private record Candidate(double seconds, double score, SampledFrame frame) {
    }

    private final SamplingConfig config;
    private final Java2DFrameConverter converter = new Java2DFrameConverter();

    private FrameSampler(SamplingConfig config) {
        this.config = config;
    }

    /** The frames of {@code file} (already probed as {@code info}), in time order. */
    public static List<SampledFrame> sample(Path file, VideoInfo info, SamplingConfig config) {
        return new FrameSampler(config).run(file, info);
    }

    /** The size a {@code width}×{@code height} picture is scaled to: longer side at most {@code maxSide}, even, never enlarged. */
    static int[] scaledSize(int width, int height, int maxSide) {
        double scale = Math.min(1.0, maxSide / (double) Math.max(width, height));
        return new int[] {Math.max(2, (int) Math.round(width * scale / 2) * 2), Math.max(2, (int) Math.round(height * scale / 2) * 2)};
    }

    private List<SampledFrame> run(Path file, VideoInfo info) {
        int n = config.frames();
        double duration = info.durationSeconds();
        double[] slots = new double[n];
        for (int i = 0; i < n; i++) slots[i] = (i + 0.5) * duration / n;
        int maxScenes = n / 2;
        List<SampledFrame> uniform = new ArrayList<>();
        PriorityQueue<Candidate> scenes = new PriorityQueue<>(Comparator.comparingDouble(Candidate::score));
        double frameInterval = info.frameRate() > 0 ? 1.0 / info.frameRate() : 1.0 / 30;

        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber("file:" + file.toAbsolutePath());
        try {
            grabber.start();
            int[] size = scaledSize(grabber.getImageWidth(), grabber.getImageHeight(), config.maxSide());
            grabber.setImageWidth(size[0]);
            grabber.setImageHeight(size[1]);
            int nextSlot = 0;
            double nextLook = 0;
            double last = -1;
            float[] previous = null;
            while (true) {
                double due = Math.min(nextLook, nextSlot < n ? slots[nextSlot] : Double.MAX_VALUE);
                // Convert (scale) only frames that will be looked at: the next one at or after a due time.
                boolean convert = last < 0 || last + 1.5 * frameInterval >= due;
                Frame frame = grabber.grabFrame(false, true, convert, false, false);
                if (frame == null) break;
                double t = Math.max(0, frame.timestamp / 1e6);
                last = t;
                if (t > duration + 5) break;   // the header lied about the length: do not decode without end
                if (!convert || frame.image == null) continue;
                if (t >= nextLook) {
                    float[] signature = signature(frame);
                    if (previous != null && maxScenes > 0) {
                        double score = difference(previous, signature);
                        if (score >= config.sceneThreshold()) offerScene(scenes, maxScenes, t, score, frame);
                    }
                    previous = signature;
                    nextLook = t + LOOK_INTERVAL;
                }
                if (nextSlot < n && t >= slots[nextSlot]) {
                    uniform.add(capture(frame, t, false));
                    while (nextSlot < n && t >= slots[nextSlot]) nextSlot++;
                }
            }
        } catch (FrameGrabber.Exception e) {
            throw new VideoProblem(VideoProblem.Kind.UNREADABLE, info.name() + ": FFmpeg failed while decoding the video ("
                    + VideoInfo.firstLine(e.getMessage()) + ")");
        } finally {
            VideoInfo.close(grabber);
            converter.close();
        }
        if (uniform.isEmpty() && scenes.isEmpty()) {
            throw new VideoProblem(VideoProblem.Kind.UNREADABLE, info.name() + ": not a single picture could be decoded "
                    + "(the video stream is empty or damaged)");
        }
        return merge(uniform, scenes);
    }

    /** Keeps the strongest cuts, at most {@code max}, none within {@value #MIN_SCENE_SPACING} s of a stronger one. */
    private void offerScene(PriorityQueue<Candidate> scenes, int max, double t, double score, Frame frame) {
        for (Candidate c : scenes) {
            if (Math.abs(c.seconds() - t) < MIN_SCENE_SPACING) {
                if (c.score() >= score) return;
                scenes.remove(c);
                break;
            }
        }
        if (scenes.size() >= max) {
            if (scenes.peek().score() >= score) return;
            scenes.poll();
        }
        scenes.add(new Candidate(t, score, capture(frame, t, true)));
    }

    /** Uniform frames, each scene change replacing the uniform frame nearest to it; in time order. */
    private static List<SampledFrame> merge(List<SampledFrame> uniform, PriorityQueue<Candidate> scenes) {
        List<SampledFrame> kept = new ArrayList<>(uniform);
        List<SampledFrame> cuts = scenes.stream().map(Candidate::frame).sorted(Comparator.comparingDouble(SampledFrame::seconds)).toList();
        for (SampledFrame cut : cuts) {
            SampledFrame nearest = null;
            for (SampledFrame u : kept) {
                if (!u.sceneChange() && (nearest == null || Math.abs(u.seconds() - cut.seconds()) < Math.abs(nearest.seconds() - cut.seconds()))) {
                    nearest = u;
                }
            }
            if (nearest != null) kept.remove(nearest);
            kept.add(cut);
        }
        kept.sort(Comparator.comparingDouble(SampledFrame::seconds));
        List<SampledFrame> out = new ArrayList<>();
        for (SampledFrame f : kept) {
            if (!out.isEmpty() && out.get(out.size() - 1).seconds() == f.seconds()) continue;
            out.add(f);
        }
        return out;
    }

    /** A 32×18 grid of luma values (0–1) of a converted BGR frame. */
    static float[] signature(Frame frame) {
        ByteBuffer pixels = (ByteBuffer) frame.image[0];
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        int stride = frame.imageStride;
        int channels = frame.imageChannels;
        float[] grid = new float[GRID_W * GRID_H];
        for (int gy = 0; gy < GRID_H; gy++) {
            int y = (2 * gy + 1) * h / (2 * GRID_H);
            for (int gx = 0; gx < GRID_W; gx++) {
                int x = (2 * gx + 1) * w / (2 * GRID_W);
                int i = y * stride + x * channels;
                int b = pixels.get(i) & 0xff;
                int g = channels > 1 ? pixels.get(i + 1) & 0xff : b;
                int r = channels > 2 ? pixels.get(i + 2) & 0xff : b;
                grid[gy * GRID_W + gx] = (0.114f * b + 0.587f * g + 0.299f * r) / 255f;
            }
        }
        return grid;
    }

    static double difference(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
        return sum / a.length;
    }

    private SampledFrame capture(Frame frame, double t, boolean sceneChange) {
        BufferedImage image = converter.convert(frame);
        return new SampledFrame(t, jpeg(image, config.jpegQuality()), image.getWidth(), image.getHeight(), sceneChange);
    }

    static byte[] jpeg(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
