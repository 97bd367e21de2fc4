package dev.sotto.decode;

/**
 * What a transducer's prediction network remembers about the tokens emitted so far (an
 * LSTM state for NeMo, the last few tokens for stateless icefall decoders), together
 * with its output for the joint. Immutable: advancing creates a new state, so beam
 * hypotheses can share one.
 */
public interface PredictorState {
}
