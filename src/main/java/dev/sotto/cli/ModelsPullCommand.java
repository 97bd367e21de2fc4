package dev.sotto.cli;

import dev.sotto.models.Catalogue;
import dev.sotto.models.InstalledModel;
import dev.sotto.models.ModelPull;
import dev.sotto.models.ModelSettings;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sotto models pull NAME...}: download, check and install; prints each model's directory. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Download catalogue models into the cache: resumes interrupted downloads, checks every sha256, "
                + "unpacks and installs each model atomically. Prints each model's directory.")
final class ModelsPullCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Model names (`sotto models list`).")
    List<String> names;

    @Option(names = "--force", description = "Download and install again even when installed.")
    boolean force;

    @Option(names = "--offline", description = "Never use the network: install only from files already in "
            + "SOTTO_HOME/downloads/NAME (or say what to download and how to bring it in). Also SOTTO_OFFLINE=1.")
    boolean offline;

    @Option(names = "--accept-new-checksum", description = "Accept a file whose sha256 differs from the one recorded at "
            + "its first download (only when you know the publisher replaced it).")
    boolean acceptNewChecksum;

    @Override
    public Integer call() {
        ModelSettings settings = ModelArguments.settings();
        if (offline) settings = settings.withOffline(true);
        ModelPull pull = new ModelPull(settings, Catalogue.load(settings), new CliReporter());
        for (String name : names) {
            InstalledModel m = pull.pull(name, force, acceptNewChecksum);
            System.out.println(m.directory());
        }
        return 0;
    }
}
