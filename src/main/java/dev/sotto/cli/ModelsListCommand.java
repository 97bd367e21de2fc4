package dev.sotto.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.models.Bytes;
import dev.sotto.models.Catalogue;
import dev.sotto.models.CatalogueEntry;
import dev.sotto.models.InstalledModel;
import dev.sotto.models.ModelCache;
import dev.sotto.models.ModelSettings;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sotto models list}: every catalogue model and every installed one, with sizes. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Models installed in the cache and available from the catalogue, with their sizes.")
final class ModelsListCommand implements Callable<Integer> {
    @Option(names = "--json", description = "One JSON array instead of the table.")
    boolean json;

    /** One row: a catalogue entry, an installed model, or both. */
    private record Row(String name, CatalogueEntry entry, InstalledModel installed) {
        long bytes() {
            if (installed != null && installed.manifest() != null) return installed.manifest().bytes();
            return entry != null ? entry.downloadBytes() : -1;
        }

        String size() {
            if (installed != null || entry == null || entry.downloadBytes() >= 0) return Bytes.human(bytes());
            return entry.knownBytes() > 0 ? ">" + Bytes.human(entry.knownBytes()) : "?";
        }
    }

    @Override
    public Integer call() {
        ModelSettings settings = ModelArguments.settings();
        ModelCache cache = new ModelCache(settings);
        Map<String, Row> rows = new LinkedHashMap<>();
        for (CatalogueEntry e : Catalogue.load(settings).entries()) rows.put(e.name(), new Row(e.name(), e, null));
        for (InstalledModel m : cache.installedModels()) {
            Row known = rows.get(m.name());
            CatalogueEntry entry = known != null ? known.entry() : m.manifest() != null ? m.manifest().entry() : null;
            rows.put(m.name(), new Row(m.name(), entry, m));
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.print(json ? json(rows.values()) : table(rows.values()));
        out.flush();
        long installed = rows.values().stream().filter(r -> r.installed() != null).count();
        long bytes = rows.values().stream().filter(r -> r.installed() != null).mapToLong(r -> Math.max(0, r.bytes())).sum();
        System.err.println("sotto: " + installed + " installed in " + cache.modelsDir() + " (" + Bytes.human(bytes)
                + "); `sotto models pull NAME` downloads one, `--model NAME` uses one");
        return 0;
    }

    private static String table(Collection<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"NAME", "STATUS", "SIZE", "FAMILY", "CHUNK MS", "LANGUAGES"});
        for (Row r : rows) {
            CatalogueEntry e = r.entry();
            String status = r.installed() != null ? "installed" : "available";
            String chunks = e == null || e.chunkMs().isEmpty() ? "-"
                    : e.chunkMs().stream().map(String::valueOf).collect(Collectors.joining(","));
            String langs = e == null ? "-" : languages(e.languages());
            String note = e != null && !e.runs() ? "  (cannot run yet)" : "";
            cells.add(new String[] {r.name(), status, r.size(), e == null ? "?" : e.family(), chunks, langs + note});
        }
        int[] width = new int[6];
        for (String[] row : cells) for (int i = 0; i < 5; i++) width[i] = Math.max(width[i], row[i].length());
        StringBuilder s = new StringBuilder();
        for (String[] row : cells) {
            for (int i = 0; i < 5; i++) s.append(String.format(Locale.ROOT, "%-" + (width[i] + 2) + "s", row[i]));
            s.append(row[5]).append('\n');
        }
        return s.toString();
    }

    private static String languages(List<String> langs) {
        if (langs.size() <= 4) return String.join(", ", langs);
        return String.join(", ", langs.subList(0, 3)) + ", ... (" + langs.size() + ")";
    }

    private static String json(Collection<Row> rows) {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode array = mapper.createArrayNode();
        for (Row r : rows) {
            ObjectNode o = array.addObject().put("name", r.name()).put("installed", r.installed() != null);
            o.put("bytes", r.bytes());
            if (r.installed() != null) o.put("directory", r.installed().directory().toString());
            CatalogueEntry e = r.entry();
            if (e != null) {
                o.put("title", e.title()).put("family", e.family()).put("layout", e.layout()).put("licence", e.licence())
                        .put("runs", e.runs()).put("verified", e.verified()).put("download_bytes", e.downloadBytes());
                e.chunkMs().forEach(o.putArray("chunk_ms")::add);
                e.languages().forEach(o.putArray("languages")::add);
            }
        }
        return array.toPrettyString() + "\n";
    }
}
