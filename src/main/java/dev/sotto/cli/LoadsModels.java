package dev.sotto.cli;

/**
 * A command that opens ONNX models: {@link Main} loads ONNX Runtime on another thread while
 * picocli parses the command line (about a tenth of a second off a short transcription).
 */
interface LoadsModels {
}
