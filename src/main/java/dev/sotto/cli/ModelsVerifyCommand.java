package dev.sotto.cli;

import dev.sotto.SottoException;
import dev.sotto.models.Bytes;
import dev.sotto.models.InstalledModel;
import dev.sotto.models.ModelCache;
import dev.sotto.models.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sotto models verify [NAME...]}: exit 1 when a model's files differ from what was installed. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check installed models' files against the sha256 recorded at install (all models when none is named).")
final class ModelsVerifyCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "NAME", description = "Installed models (default: all).")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() {
        ModelCache cache = new ModelCache(ModelArguments.settings());
        List<InstalledModel> models = new ArrayList<>();
        if (names.isEmpty()) models.addAll(cache.installedModels());
        for (String n : names) {
            models.add(cache.installed(n).orElseThrow(() -> new SottoException("model '" + n + "' is not installed")));
        }
        if (models.isEmpty()) System.err.println("sotto: no models installed in " + cache.modelsDir());
        int damaged = 0;
        for (InstalledModel m : models) {
            Verifier.Report r = Verifier.verify(m);
            if (r.ok()) {
                System.out.println(m.name() + ": ok (" + m.manifest().files().size() + " files, "
                        + Bytes.human(m.manifest().bytes()) + ")");
            } else {
                System.out.println(m.name() + ": " + (r.verifiable() ? "DAMAGED" : "cannot verify"));
                r.problems().forEach(p -> System.out.println("  " + p));
                if (r.verifiable()) damaged++;
            }
        }
        if (damaged > 0) System.err.println("sotto: `sotto models pull --force NAME` reinstalls a damaged model");
        return damaged == 0 ? 0 : 1;
    }
}
