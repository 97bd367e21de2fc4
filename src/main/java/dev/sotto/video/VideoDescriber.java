package dev.sotto.video;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A question about a video, answered by a vision-language model: probe the file and check
 * the limits, pick and encode frames, transcribe the speech with the caller's recognizer,
 * build the chat-completions request and ask the model server.
 *
 * <pre>{@code
 * VideoDescriber describer = new VideoDescriber(new ChatBackend(config), SamplingConfig.DEFAULT, VideoLimits.FAL);
 * VideoDescriber.Description d = describer.describe(file, "talk.mp4", DescribeRequest.of("What happens?", null, null, null, null, null),
 *         (f, name) -> TimedTranscript.of(...), System.err::println);
 * }</pre>
 */
public final class VideoDescriber {
    /** Transcribes the sound track of a video file; {@link TimedTranscript#NONE} when there is no speech. */
    @FunctionalInterface
    public interface SpeechTranscriber {
        TimedTranscript transcribe(Path file, String name);
    }

    /** The answer, with what was sent to get it. */
    public record Description(Answer answer, VideoInfo info, List<FrameSampler.SampledFrame> frames, TimedTranscript transcript) {
    }

    private final ChatBackend backend;
    private final SamplingConfig sampling;
    private final VideoLimits limits;

    public VideoDescriber(ChatBackend backend, SamplingConfig sampling, VideoLimits limits) {
        this.backend = backend;
        this.sampling = sampling;
        this.limits = limits;
    }

    /**
     * Checks the video before any decoding: a {@link VideoProblem} for a file that is not a video,
     * has no picture, or is beyond the limits.
     */
    public VideoInfo check(Path file, String name) {
        VideoInfo info = VideoInfo.probe(file, name);
        limits.check(info);
        return info;
    }

    /**
     * The whole question; {@code asr} null sends no transcript; {@code progress} hears each step
     * (for a job's log or the terminal).
     */
    public Description describe(Path file, String name, DescribeRequest ask, SpeechTranscriber asr, Consumer<String> progress) {
        VideoInfo info = check(file, name);
        progress.accept("video: " + info.summary());
        long start = System.nanoTime();
        List<FrameSampler.SampledFrame> frames = FrameSampler.sample(file, info, sampling);
        long scenes = frames.stream().filter(FrameSampler.SampledFrame::sceneChange).count();
        progress.accept(String.format(Locale.ROOT, "picked %d frames (%d at scene changes) in %.2f s", frames.size(), scenes,
                (System.nanoTime() - start) / 1e9));
        TimedTranscript transcript = TimedTranscript.NONE;
        if (info.hasAudio() && asr != null) {
            start = System.nanoTime();
            transcript = asr.transcribe(file, name);
            progress.accept(String.format(Locale.ROOT, "transcribed the sound track in %.2f s: %s", (System.nanoTime() - start) / 1e9,
                    transcript.isEmpty() ? "no speech" : transcript.lines().size() + " segments"));
        }
        ObjectNode body = backend.request(ask, info, frames, transcript);
        progress.accept("asking " + backend.config().model() + " at " + backend.config().baseUrl());
        start = System.nanoTime();
        Answer answer = backend.complete(body);
        progress.accept(String.format(Locale.ROOT, "answered in %.2f s (%s, %s prompt + %s completion tokens)",
                (System.nanoTime() - start) / 1e9, answer.finishReason(), answer.inputTokens(), answer.outputTokens()));
        return new Description(answer, info, frames, transcript);
    }
}
