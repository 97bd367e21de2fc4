package dev.sotto.cli;

import dev.sotto.models.ModelResolver;
import dev.sotto.models.ModelSettings;
import java.nio.file.Path;
import java.util.List;

/** {@code --model DIR|NAME} for every command: a directory as it is, a name through the model cache. */
final class ModelArguments {
    private ModelArguments() {
    }

    static ModelSettings settings() {
        return ModelSettings.fromEnvironment(CliEnvironment.get());
    }

    static Path directory(String argument) {
        return new ModelResolver(settings(), new CliReporter()).resolve(argument);
    }

    static List<Path> directories(List<String> arguments) {
        ModelResolver resolver = new ModelResolver(settings(), new CliReporter());
        return arguments.stream().map(resolver::resolve).toList();
    }

    /** A file such as a VAD model: the file itself, or the one .onnx of the model it names. */
    static Path file(String argument) {
        return new ModelResolver(settings(), new CliReporter()).resolveFile(argument);
    }
}
