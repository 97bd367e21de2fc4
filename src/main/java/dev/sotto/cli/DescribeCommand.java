package dev.sotto.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.SottoException;
import dev.sotto.audio.AudioDecoder;
import dev.sotto.recognizer.ExecutionConfig;
import dev.sotto.recognizer.ModelConfig;
import dev.sotto.recognizer.Recognizer;
import dev.sotto.recognizer.RecognizerConfig;
import dev.sotto.transcribe.Decoding;
import dev.sotto.video.Answer;
import dev.sotto.video.BackendConfig;
import dev.sotto.video.ChatBackend;
import dev.sotto.video.DescribeRequest;
import dev.sotto.video.SamplingConfig;
import dev.sotto.video.TimedTranscript;
import dev.sotto.video.VideoDescriber;
import dev.sotto.video.VideoLimits;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sotto describe VIDEO --prompt TEXT}: what fal's Nemotron 3 Nano Omni video endpoint
 * does, on the command line: frames and the transcript of the sound track go to a
 * vision-language model server ({@code --vlm-url}); its answer goes to stdout.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Ask a vision-language model server (--vlm-url: vLLM, NIM, llama-server) about a video: "
                + "frames and the transcript of its speech go with the prompt; the answer goes to stdout.")
final class DescribeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "VIDEO", description = "The video file (mp4, mov, webm, mkv ...; at most 2 min, 1080p).")
    Path video;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "What to ask about the video.")
    String prompt;

    @Option(names = "--system-prompt", paramLabel = "TEXT", description = "A system message; it replaces the reasoning control "
            + "(/think or /no_think), as on fal.")
    String systemPrompt;

    @Option(names = "--reasoning", paramLabel = "MODE", defaultValue = "no_think",
            description = "think or no_think (default: ${DEFAULT-VALUE}): Nemotron's system message /think or /no_think.")
    String reasoning;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Longest answer, 1-20000 tokens (default 1024).")
    Integer maxTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "0-2 (default 0.7).")
    Double temperature;

    @Option(names = "--top-p", paramLabel = "P", description = "0-1 (default 0.95).")
    Double topP;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "16",
            description = "Frames sent, 1-" + SamplingConfig.MAX_FRAMES + " (uniform, up to half at scene changes; default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--frame-size", paramLabel = "PX", defaultValue = "768",
            description = "Longer side of each frame in pixels, never enlarged (default: ${DEFAULT-VALUE}).")
    int frameSize;

    @Option(names = "--model", paramLabel = "DIR|NAME",
            description = "ASR model for the speech in the sound track (as for transcribe); without it no transcript is sent.")
    String model;

    @Option(names = "--device", paramLabel = "D", defaultValue = "auto", description = "Device of the ASR model: auto, cpu, cuda or cuda:N.")
    String device;

    @Option(names = "--format", paramLabel = "F", defaultValue = "text",
            description = "text (the answer) or json (fal's {output, finish_reason, usage}) (default: ${DEFAULT-VALUE}).")
    String format;

    @Mixin
    VlmOptions vlm;

    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("json")) throw new SottoException("unknown --format '" + format + "': use text or json");
        DescribeRequest ask;
        try {
            ask = DescribeRequest.of(prompt, systemPrompt, reasoning, maxTokens, temperature, topP);
        } catch (DescribeRequest.Invalid e) {
            throw new SottoException(e.getMessage().replace("max_tokens", "--max-tokens").replace("top_p", "--top-p")
                    .replace("reasoning_mode", "--reasoning").replace("temperature:", "--temperature:"));
        }
        if (frames < 1 || frames > SamplingConfig.MAX_FRAMES) throw new SottoException("--frames must be 1.." + SamplingConfig.MAX_FRAMES);
        if (frameSize < 32 || frameSize > 4096) throw new SottoException("--frame-size must be 32..4096 pixels");
        if (!vlm.given()) throw new SottoException("--vlm-url is missing: describe needs a model server that runs the vision-language "
                + "model (vLLM, NVIDIA NIM or llama-server), e.g. --vlm-url http://127.0.0.1:8000/v1 --vlm-model NAME");
        BackendConfig backend = vlm.config();
        if (!Files.isRegularFile(video)) throw new SottoException(video + ": no such file");
        SamplingConfig sampling = SamplingConfig.DEFAULT.withFrames(frames).withMaxSide(frameSize);
        VideoDescriber describer = new VideoDescriber(new ChatBackend(backend), sampling, VideoLimits.FAL);
        describer.check(video, video.toString());   // limits first, before any model loads
        Recognizer recognizer = model == null ? null : Recognizer.create(RecognizerConfig.builder(
                ModelConfig.builder(ModelArguments.directory(model)).build())
                .execution(ExecutionConfig.builder().device(device).build()).build());
        if (recognizer == null) System.err.println("sotto: no --model: the sound track is not transcribed");
        try {
            VideoDescriber.SpeechTranscriber asr = recognizer == null ? null : (file, name) -> {
                try (AudioDecoder audio = AudioDecoder.open(file, name)) {
                    Decoding.Outcome o = Decoding.run(recognizer, audio, s -> { });
                    return TimedTranscript.of(o.result(), o.audioSeconds());
                }
            };
            VideoDescriber.Description d = describer.describe(video, video.toString(), ask, asr, line -> System.err.println("sotto: " + line));
            print(d.answer());
        } finally {
            if (recognizer != null) recognizer.close();
        }
        return 0;
    }

    private void print(Answer a) {
        if (format.equals("text")) {
            out.println(a.output());
            return;
        }
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("output", a.output()).put("finish_reason", a.finishReason());
        o.putObject("usage").put("input_tokens", a.inputTokens()).put("output_tokens", a.outputTokens());
        out.println(o);
    }
}
