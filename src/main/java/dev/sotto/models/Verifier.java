package dev.sotto.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code sotto models verify}: every installed file against the sha256 recorded when it was installed. */
public final class Verifier {
    private Verifier() {
    }

    /** The outcome for one model: {@code problems} empty means intact; {@code verifiable} false for hand-made directories. */
    public record Report(String name, boolean verifiable, List<String> problems) {
        public boolean ok() {
            return verifiable && problems.isEmpty();
        }
    }

    public static Report verify(InstalledModel model) {
        if (model.manifest() == null) {
            return new Report(model.name(), false, List.of("no install manifest (" + ModelManifest.FILE
                    + "): the directory was not installed by Sotto, so there is nothing to check it against"));
        }
        List<String> problems = new ArrayList<>();
        Map<String, FileDigest> expected = model.manifest().files().stream()
                .collect(Collectors.toMap(FileDigest::path, Function.identity()));
        for (FileDigest f : model.manifest().files()) {
            Path file = model.directory().resolve(f.path());
            try {
                if (!Files.isRegularFile(file)) problems.add(f.path() + ": missing");
                else if (Files.size(file) != f.size()) problems.add(f.path() + ": size " + Files.size(file) + ", expected " + f.size());
                else if (!Hashing.sha256(file).equals(f.sha256())) problems.add(f.path() + ": sha256 differs (the file changed)");
            } catch (IOException e) {
                problems.add(f.path() + ": unreadable (" + e.getMessage() + ")");
            }
        }
        for (String extra : files(model.directory())) {
            if (!expected.containsKey(extra) && !extra.equals(ModelManifest.FILE)) problems.add(extra + ": not part of the model (added later)");
        }
        return new Report(model.name(), true, problems);
    }

    /** Every regular file under {@code dir}, as relative paths with '/'. */
    static Set<String> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            return new TreeSet<>();
        }
    }
}
