package dev.sotto.cli;

import dev.sotto.models.ModelCache;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sotto models remove NAME...}. */
@Command(name = "remove", mixinStandardHelpOptions = true, description = "Delete installed models (and their partial downloads).")
final class ModelsRemoveCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Installed models.")
    List<String> names;

    @Override
    public Integer call() {
        ModelCache cache = new ModelCache(ModelArguments.settings());
        for (String name : names) {
            cache.remove(name);
            System.err.println("sotto: removed " + name);
        }
        return 0;
    }
}
