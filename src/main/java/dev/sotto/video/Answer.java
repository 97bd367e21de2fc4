package dev.sotto.video;

/**
 * The model's answer: its text (with the reasoning first, in {@code <think>} tags, when the
 * server returned reasoning separately), why it stopped, and the tokens counted by the server
 * (null when it did not say).
 */
public record Answer(String output, String finishReason, Integer inputTokens, Integer outputTokens) {
}
