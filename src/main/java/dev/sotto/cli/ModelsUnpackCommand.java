package dev.sotto.cli;

import dev.sotto.models.BundleUnpacker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sotto models unpack FILE.tar}: verify a bundle completely, then install its models. */
@Command(name = "unpack", mixinStandardHelpOptions = true,
        description = "Install the models of a bundle made by `sotto models pack`: every file is checked against the "
                + "bundle's manifest before anything is installed. Prints the installed names.")
final class ModelsUnpackCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE.tar", description = "The bundle.")
    Path bundle;

    @Option(names = "--force", description = "Replace installed models whose files differ from the bundle's.")
    boolean force;

    @Override
    public Integer call() {
        new BundleUnpacker(ModelArguments.settings(), new CliReporter()).unpack(bundle, force).forEach(System.out::println);
        return 0;
    }
}
