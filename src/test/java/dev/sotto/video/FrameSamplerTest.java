package dev.sotto.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.testing.TestData;
import dev.sotto.testing.TestVideos;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probing, limits and frame picking on videos written by the test. */
class FrameSamplerTest {
    @TempDir
    static Path tmp;
    static Path scenes;

    @BeforeAll
    static void writeVideo() throws Exception {
        scenes = TestVideos.scenes(tmp.resolve("scenes.mp4"));
    }

    @Test
    void probeReadsTheHeader() {
        VideoInfo info = VideoInfo.probe(scenes, "scenes.mp4");
        assertEquals(320, info.width());
        assertEquals(180, info.height());
        assertEquals(11.0, info.durationSeconds(), 0.2);
        assertEquals("mov", info.container());
        assertTrue(info.hasAudio());
        VideoLimits.FAL.check(info);
    }

    @Test
    void framesAreJpegsInTimeOrderWithTheCutsAmongThem() throws Exception {
        VideoInfo info = VideoInfo.probe(scenes, "scenes.mp4");
        List<FrameSampler.SampledFrame> frames = FrameSampler.sample(scenes, info, SamplingConfig.DEFAULT.withFrames(8).withMaxSide(160));
        assertEquals(8, frames.size(), "as many frames as asked");
        double previous = -1;
        for (FrameSampler.SampledFrame f : frames) {
            assertTrue(f.seconds() > previous, "time order: " + frames);
            previous = f.seconds();
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(f.jpeg()));
            assertNotNull(image, "decodes as an image");
            assertEquals(160, image.getWidth());
            assertEquals(90, image.getHeight());
            // The picture shows the scene of its time: the corner pixel has that scene's colour.
            Color expected = TestVideos.COLOURS.get(Math.min(3, (int) (f.seconds() / TestVideos.SCENE_SECONDS)));
            Color corner = new Color(image.getRGB(2, 2));
            assertTrue(close(expected, corner), "frame at " + f.seconds() + " s shows " + expected + ", got " + corner);
        }
        // Each cut (2.75, 5.5, 8.25 s) is among the frames, marked as a scene change, within one look (0.1 s) after it.
        for (int cut = 1; cut < TestVideos.COLOURS.size(); cut++) {
            double at = cut * TestVideos.SCENE_SECONDS;
            assertTrue(frames.stream().anyMatch(f -> f.sceneChange() && f.seconds() >= at - 0.01 && f.seconds() <= at + 0.21),
                    "a scene-change frame at the cut at " + at + " s: " + frames.stream().map(f -> f.seconds() + (f.sceneChange() ? "*" : "")).toList());
        }
    }

    private static boolean close(Color a, Color b) {
        return Math.abs(a.getRed() - b.getRed()) < 60 && Math.abs(a.getGreen() - b.getGreen()) < 60 && Math.abs(a.getBlue() - b.getBlue()) < 60;
    }

    @Test
    void limitsAndNonVideosAreSpecificProblems() throws Exception {
        Path tooLong = TestVideos.silent(tmp.resolve("long.mp4"), 32, 32, 1, 121);
        VideoProblem p = assertThrows(VideoProblem.class, () -> VideoLimits.FAL.check(VideoInfo.probe(tooLong, "long.mp4")));
        assertEquals(VideoProblem.Kind.TOO_LONG, p.kind(), p.getMessage());
        assertTrue(p.getMessage().contains("121.0 s") && p.getMessage().contains("120 s"), p.getMessage());

        Path tooLarge = TestVideos.silent(tmp.resolve("large.mp4"), 1920, 1088, 1, 1);
        p = assertThrows(VideoProblem.class, () -> VideoLimits.FAL.check(VideoInfo.probe(tooLarge, "large.mp4")));
        assertEquals(VideoProblem.Kind.TOO_LARGE, p.kind(), p.getMessage());
        assertTrue(p.getMessage().contains("1920x1088"), p.getMessage());

        Path speech = TestData.shared().resolve("audio/en/jfk.wav");
        p = assertThrows(VideoProblem.class, () -> VideoInfo.probe(speech, "jfk.wav"));
        assertEquals(VideoProblem.Kind.NO_VIDEO_STREAM, p.kind(), p.getMessage());

        Path mp3 = TestData.shared().resolve("audio/en/jfk.mp3");
        p = assertThrows(VideoProblem.class, () -> VideoInfo.probe(mp3, "jfk.mp3"));
        assertEquals(VideoProblem.Kind.NO_VIDEO_STREAM, p.kind(), p.getMessage());

        Path text = Files.writeString(tmp.resolve("notes.txt"), "This is not a video.\nIt is text.\n");
        p = assertThrows(VideoProblem.class, () -> VideoInfo.probe(text, "notes.txt"));
        assertEquals(VideoProblem.Kind.NOT_A_VIDEO, p.kind(), p.getMessage());
        Path renamed = Files.copy(text, tmp.resolve("notes.mp4"));
        p = assertThrows(VideoProblem.class, () -> VideoInfo.probe(renamed, "notes.mp4"));
        assertEquals(VideoProblem.Kind.NOT_A_VIDEO, p.kind(), p.getMessage());
    }

    @Test
    void portrait1080pIsWithinTheLimits() {
        VideoLimits.FAL.check(new VideoInfo("portrait.mp4", 60, 1080, 1920, 30, "mov", "h264", true));
    }
}
