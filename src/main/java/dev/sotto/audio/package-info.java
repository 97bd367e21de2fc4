/**
 * Audio input: any audio or video file or stream to 16 kHz mono float.
 *
 * <ul>
 *   <li>{@link dev.sotto.audio.AudioDecoder} decodes with FFmpeg (through JavaCV), pulling
 *       one frame at a time, so memory does not grow with the input's length.</li>
 *   <li>{@link dev.sotto.audio.Resampler} converts float audio that an application already
 *       holds (e.g. 44.1 kHz from a microphone) to 16 kHz, in pure Java.</li>
 *   <li>{@link dev.sotto.audio.WavWriter} writes mono WAV files.</li>
 * </ul>
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li><b>Downmix</b>: channels are averaged (FFmpeg's matrix normalised to a gain of 1, as
 *       {@code ffmpeg -ac 1} does for 16-bit output), so a tone on both channels keeps its
 *       level. Layouts with a centre channel use FFmpeg's standard weights.</li>
 *   <li><b>Damaged input</b> is decoded as far as FFmpeg can. If FFmpeg reports errors, or a
 *       file ends well before the length its header declares, the audio decoded so far is
 *       still returned and a warning (input, position, FFmpeg's reason) goes to
 *       java.util.logging and {@link dev.sotto.audio.AudioDecoder#warnings()}. If nothing at
 *       all could be decoded, or reading fails (disk, pipe), it is an error naming the input
 *       and the position reached.</li>
 *   <li><b>Logging</b>: FFmpeg's own output is raised to errors only and routed to us; it
 *       never reaches stderr directly.</li>
 * </ul>
 */
package dev.sotto.audio;
