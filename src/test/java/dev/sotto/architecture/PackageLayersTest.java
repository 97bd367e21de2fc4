package dev.sotto.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package graph the shape the README draws: no package imports a package that
 * imports it back, the engine knows no family, families know no other family, and nothing
 * above the registry (the recognizer aside) reaches into a family.
 */
class PackageLayersTest {
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Set<String> FAMILIES = Set.of("dev.sotto.nemo", "dev.sotto.zipformer", "dev.sotto.whisper",
            "dev.sotto.parakeet");

    /** package → the project packages it imports. */
    static Map<String, Set<String>> graph() {
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) sources.put(p.toString(), Files.readString(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> packages = new TreeSet<>();
        Map<String, String> packageOf = new TreeMap<>();
        sources.forEach((file, src) -> {
            Matcher m = PACKAGE.matcher(src);
            if (m.find()) {
                packages.add(m.group(1));
                packageOf.put(file, m.group(1));
            }
        });
        Map<String, Set<String>> edges = new TreeMap<>();
        sources.forEach((file, src) -> {
            String from = packageOf.get(file);
            Matcher m = IMPORT.matcher(src);
            while (m.find()) {
                String target = longestPackage(m.group(1), packages);
                if (target != null && !target.equals(from)) edges.computeIfAbsent(from, k -> new TreeSet<>()).add(target);
            }
        });
        packages.forEach(p -> edges.putIfAbsent(p, new TreeSet<>()));
        return edges;
    }

    private static String longestPackage(String name, Set<String> packages) {
        String[] parts = name.split("\\.");
        for (int n = parts.length - 1; n > 0; n--) {
            String candidate = String.join(".", java.util.Arrays.copyOf(parts, n));
            if (packages.contains(candidate)) return candidate;
        }
        return null;
    }

    @Test
    void noPackageImportsAPackageThatImportsItBack() {
        Map<String, Set<String>> g = graph();
        List<String> loops = new ArrayList<>();
        for (String a : g.keySet()) {
            for (String b : g.get(a)) {
                if (reaches(g, b, a, new TreeSet<>())) loops.add(a + " -> " + b + " -> ... -> " + a);
            }
        }
        assertEquals(List.of(), loops);
    }

    private static boolean reaches(Map<String, Set<String>> g, String from, String to, Set<String> seen) {
        if (from.equals(to)) return true;
        if (!seen.add(from)) return false;
        for (String next : g.getOrDefault(from, Set.of())) if (reaches(g, next, to, seen)) return true;
        return false;
    }

    @Test
    void theEngineKnowsNoFamilyAndNothingAboveIt() {
        Set<String> engine = graph().get("dev.sotto.engine");
        for (String p : engine) {
            assertTrue(Set.of("dev.sotto", "dev.sotto.decode", "dev.sotto.features", "dev.sotto.runtime").contains(p),
                    "dev.sotto.engine imports " + p);
        }
    }

    @Test
    void familiesStandBesideEachOther() {
        Map<String, Set<String>> g = graph();
        for (String family : FAMILIES) {
            for (String p : g.get(family)) {
                assertTrue(!FAMILIES.contains(p) && !p.startsWith("dev.sotto.server") && !Set.of("dev.sotto.registry",
                        "dev.sotto.recognizer", "dev.sotto.cli", "dev.sotto.eval", "dev.sotto.transcribe").contains(p),
                        family + " imports " + p);
            }
        }
    }

    @Test
    void onlyTheRegistryKnowsTheFamilies() {
        Map<String, Set<String>> g = graph();
        g.forEach((p, imports) -> {
            if (p.equals("dev.sotto.registry") || FAMILIES.contains(p)) return;
            for (String family : FAMILIES) assertTrue(!imports.contains(family), p + " imports " + family);
        });
    }

    @Test
    void theModelManagerStandsAloneAndOnlyTheCommandLinesUseIt() {
        Map<String, Set<String>> g = graph();
        for (String p : g.get("dev.sotto.models")) assertEquals("dev.sotto", p, "dev.sotto.models imports " + p);
        Set<String> users = Set.of("dev.sotto.cli", "dev.sotto.spark");   // `--model NAME`: the CLI and the Spark job
        g.forEach((p, imports) -> assertTrue(users.contains(p) || !imports.contains("dev.sotto.models"),
                p + " imports dev.sotto.models (the server gets model directories, not names)"));
    }

    @Test
    void theSparkJobSitsOnTopAndNothingImportsIt() {
        Map<String, Set<String>> g = graph();
        g.forEach((p, imports) -> assertTrue(!imports.contains("dev.sotto.spark"), p + " imports dev.sotto.spark"));
        for (String p : g.get("dev.sotto.spark")) {
            assertTrue(Set.of("dev.sotto", "dev.sotto.audio", "dev.sotto.engine", "dev.sotto.recognizer",
                    "dev.sotto.transcribe", "dev.sotto.models").contains(p), "dev.sotto.spark imports " + p);
        }
    }

    @Test
    void serverApisNeverTouchEachOther() {
        Map<String, Set<String>> g = graph();
        g.forEach((p, imports) -> {
            if (!p.startsWith("dev.sotto.server.") || p.equals("dev.sotto.server.core")) return;
            for (String i : imports) {
                assertTrue(!i.startsWith("dev.sotto.server") || i.equals("dev.sotto.server.core"), p + " imports " + i);
            }
        });
    }
}
