/**
 * NeMo's offline models in sherpa-onnx's export layout: Parakeet TDT and RNN-T transducers
 * ({@code encoder/decoder/joiner[.int8].onnx}), CTC models and the CTC head of hybrid
 * models ({@code model[.int8].onnx}). They attend to the whole input, so the shared
 * {@link dev.sotto.engine.OfflineEngine} runs them on pieces of at most 30 s, cut at
 * pauses found by Silero VAD.
 */
package dev.sotto.parakeet;
