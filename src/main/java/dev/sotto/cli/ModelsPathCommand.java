package dev.sotto.cli;

import dev.sotto.SottoException;
import dev.sotto.models.ModelCache;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sotto models path NAME}: the installed model's directory, for scripts. */
@Command(name = "path", mixinStandardHelpOptions = true, description = "Print the directory of an installed model.")
final class ModelsPathCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "An installed model.")
    String name;

    @Override
    public Integer call() {
        ModelCache cache = new ModelCache(ModelArguments.settings());
        var model = cache.installed(name).orElseThrow(() -> new SottoException("model '" + name
                + "' is not installed: `sotto models pull " + name + "` installs it"));
        System.out.println(model.directory());
        return 0;
    }
}
