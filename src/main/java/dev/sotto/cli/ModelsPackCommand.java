package dev.sotto.cli;

import dev.sotto.models.BundlePacker;
import dev.sotto.models.Bytes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sotto models pack NAME... --out FILE.tar}: one file to carry models to a machine without network. */
@Command(name = "pack", mixinStandardHelpOptions = true,
        description = "Write installed models and a manifest of their checksums into one .tar, for `sotto models unpack` "
                + "on a machine without network.")
final class ModelsPackCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Installed models.")
    List<String> names;

    @Option(names = "--out", required = true, paramLabel = "FILE.tar", description = "The bundle to write (must not exist).")
    Path out;

    @Override
    public Integer call() {
        long bytes = new BundlePacker(ModelArguments.settings(), new CliReporter()).pack(names, out);
        System.err.println("sotto: wrote " + out + " (" + Bytes.human(bytes) + ", " + names.size() + " model"
                + (names.size() == 1 ? "" : "s") + "); on the other machine: sotto models unpack " + out.getFileName());
        System.out.println(out);
        return 0;
    }
}
