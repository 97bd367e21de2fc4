package dev.sotto.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.SottoException;
import dev.sotto.runtime.Device;
import dev.sotto.runtime.cuda.CudaCheck;
import dev.sotto.runtime.cuda.CudaLibraries;
import dev.sotto.runtime.cuda.CudaLibrary;
import dev.sotto.runtime.cuda.CudaReport;
import dev.sotto.runtime.cuda.DeviceProbe;
import dev.sotto.runtime.cuda.LibrarySearch;
import dev.sotto.runtime.cuda.NvidiaSmi;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sotto doctor}: what this machine offers for running Sotto (Java, ONNX Runtime and
 * its providers, the NVIDIA driver and GPUs, each CUDA and cuDNN library ONNX Runtime needs
 * and where it comes from), whether the device asked for works, and what to do about what
 * is missing. Exit status 0 when the device asked for works, 1 when it does not.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check that the asked device works (CPU, GPU), and with --vlm-url that the video model server answers; "
                + "say what to do about what is missing.")
final class DoctorCommand implements Callable<Integer>, LoadsModels {
    @Option(names = "--device", paramLabel = "D", defaultValue = "auto",
            description = "The device to check: auto, cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--format", paramLabel = "F", defaultValue = "text", description = "text or json.")
    String format;

    @picocli.CommandLine.Mixin
    VlmOptions vlm;

    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    /** The outcome for the device asked for: which device runs, whether it works, and why. */
    record Verdict(String asked, String chosen, boolean works, String why) {
    }

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("json")) {
            throw new SottoException("unknown format '" + format + "': use text or json");
        }
        Device asked = Device.parse(device);
        int gpu = asked.kind() == Device.Kind.CUDA ? asked.index() : 0;
        CudaReport report = CudaReport.collect(asked.kind() == Device.Kind.CPU ? Optional.empty() : Optional.of(gpu));
        Optional<String> cpuProblem = DeviceProbe.cpu();
        Verdict verdict = verdict(asked, report, cpuProblem);
        dev.sotto.video.BackendConfig backend = vlm.config();
        dev.sotto.video.ChatBackend.Health vlmHealth = backend == null ? null : new dev.sotto.video.ChatBackend(backend).check();
        if (format.equals("json")) {
            ObjectNode o = json(report, cpuProblem, verdict);
            if (vlmHealth != null) {
                o.putObject("vlm").put("url", backend.baseUrl().toString()).put("model", backend.model())
                        .put("ok", vlmHealth.ok()).put("detail", vlmHealth.detail());
            }
            out.println(o);
        } else {
            out.print(text(report, cpuProblem, verdict));
            if (vlmHealth != null) {
                out.print(String.format(Locale.ROOT, "%nVideo model server (sotto serve/describe --vlm-url):%n  %-15s %s%n", "vlm",
                        (vlmHealth.ok() ? "works: " : "DOES NOT WORK: ") + vlmHealth.detail()));
            }
        }
        return verdict.works() && (vlmHealth == null || vlmHealth.ok()) ? 0 : 1;
    }

    static Verdict verdict(Device asked, CudaReport report, Optional<String> cpuProblem) {
        Optional<CudaCheck.Result> cuda = report.check();
        String cpuWhy = cpuProblem.orElse("ran a convolution and a matrix product");
        return switch (asked.kind()) {
            case CPU -> new Verdict("cpu", "cpu", cpuProblem.isEmpty(), cpuWhy);
            case CUDA -> new Verdict(asked.toString(), asked.toString(), cuda.orElseThrow().works(),
                    cuda.get().works() ? cuda.get().summary() : cuda.get().problem());
            case AUTO -> cuda.orElseThrow().works()
                    ? new Verdict("auto", "cuda:0", true, cuda.get().summary())
                    : new Verdict("auto", "cpu", cpuProblem.isEmpty(), "no GPU used: " + cuda.get().problem());
        };
    }

    static String text(CudaReport r, Optional<String> cpuProblem, Verdict verdict) {
        StringBuilder b = new StringBuilder();
        line(b, "Java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                + System.getProperty("java.home"));
        line(b, "ONNX Runtime", r.ortVersion() + ", providers: " + String.join(", ", r.providers())
                + (r.ortHasCuda() ? " (the GPU package)" : " (the CPU-only package)"));
        line(b, "NVIDIA driver", r.plan().driver().map(f -> (r.smi().driver().isEmpty() ? "" : r.smi().driver() + ", ")
                + CudaLibrary.DRIVER + " at " + f.path() + " (" + f.via() + ")")
                .orElse("not found: the dynamic loader does not find " + CudaLibrary.DRIVER));
        line(b, "GPUs", r.smi().problem().orElse(r.smi().gpus().isEmpty() ? "nvidia-smi lists none" : gpus(r.smi())));
        b.append("\nCUDA libraries that ONNX Runtime's CUDA provider loads: on this system (what the dynamic loader\n"
                + "finds), and in JavaCPP's CUDA jar (brought by SOTTO_GPU=1):\n");
        for (CudaLibraries.Status s : r.plan().libraries()) {
            b.append(String.format(Locale.ROOT, "  %-39s %-31s system: %s; JavaCPP: %s%n", s.library().soname(),
                    s.library().component(), s.system().map(DoctorCommand::found).orElse("MISSING"), javacpp(s, r)));
        }
        int missing = r.plan().missingFromSystem().size();
        String jarState = r.redistJar().isEmpty() ? "JavaCPP's CUDA jar is not on the class path" : "the JavaCPP jar is incomplete";
        line(b, "Libraries used", r.plan().source() != CudaLibraries.Source.NONE ? r.plan().describe()
                : "none: " + missing + " of " + r.plan().libraries().size() + " missing from the system, and " + jarState);
        r.redistJar().ifPresent(jar -> line(b, "JavaCPP jar", jar + " (" + r.plan().redistVersions() + "), cache "
                + r.redistCache()));
        b.append("\nDevices:\n");
        line(b, "cpu", cpuProblem.map(p -> "does not work: " + p).orElse("works"));
        r.check().ifPresent(c -> line(b, "cuda:" + c.device(), c.works() ? "works: " + c.summary()
                : "does not work: " + c.problem()));
        boolean auto = verdict.asked().equals("auto");
        line(b, "asked", verdict.asked() + (auto ? " -> " + verdict.chosen() : "")
                + (verdict.works() ? ": works" : ": DOES NOT WORK") + (auto ? " (" + verdict.why() + ")" : ""));
        List<String> advice = advice(r, verdict);
        if (!advice.isEmpty()) {
            b.append("\nWhat to do:\n");
            for (int i = 0; i < advice.size(); i++) {
                b.append("  ").append(i + 1).append(". ").append(advice.get(i)).append('\n');
            }
        }
        return b.toString();
    }

    /** What to do: nothing when the CPU was asked for and works (the GPU advice answers another question). */
    private static List<String> advice(CudaReport r, Verdict verdict) {
        return verdict.asked().equals("cpu") && verdict.works() ? List.of() : r.advice();
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, "  %-15s %s%n", label, value));
    }

    private static String gpus(NvidiaSmi smi) {
        return String.join("; ", smi.gpus().stream().map(g -> String.format(Locale.ROOT, "%d: %s, %d MiB%s", g.index(),
                g.name(), g.memoryMiB(), g.computeCapability().isEmpty() ? "" : ", compute " + g.computeCapability()))
                .toList());
    }

    private static String found(LibrarySearch.Found f) {
        return f.version() + " at " + f.file() + " (" + f.via() + ")";
    }

    private static String javacpp(CudaLibraries.Status s, CudaReport r) {
        if (r.redistJar().isEmpty()) return "no jar";
        if (!s.inJar()) return "not in the jar";
        return s.cached().map(p -> "extracted").orElse("in the jar");
    }

    static ObjectNode json(CudaReport r, Optional<String> cpuProblem, Verdict verdict) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.putObject("java").put("version", System.getProperty("java.version"))
                .put("vendor", System.getProperty("java.vendor")).put("home", System.getProperty("java.home"));
        ObjectNode ort = o.putObject("onnxruntime").put("version", r.ortVersion()).put("cuda_provider", r.ortHasCuda());
        ArrayNode providers = ort.putArray("providers");
        r.providers().forEach(providers::add);
        ObjectNode driver = o.putObject("driver").put("version", r.smi().driver());
        driver.put("library", r.plan().driver().map(f -> f.path().toString()).orElse(null));
        driver.put("nvidia_smi_problem", r.smi().problem().orElse(null));
        ArrayNode gpus = o.putArray("gpus");
        for (NvidiaSmi.Gpu g : r.smi().gpus()) {
            gpus.addObject().put("index", g.index()).put("name", g.name()).put("memory_mib", g.memoryMiB())
                    .put("compute_capability", g.computeCapability());
        }
        ArrayNode libraries = o.putArray("libraries");
        for (CudaLibraries.Status s : r.plan().libraries()) {
            ObjectNode l = libraries.addObject().put("name", s.library().soname()).put("component", s.library().component())
                    .put("kit", s.library().kit().title());
            s.system().ifPresentOrElse(f -> l.putObject("system").put("path", f.path().toString())
                    .put("file", f.file().toString()).put("version", f.version()).put("via", f.via()),
                    () -> l.putNull("system"));
            l.putObject("javacpp").put("in_jar", s.inJar()).put("cached", s.cached().map(Path::toString).orElse(null));
        }
        o.put("library_source", r.plan().source().id());
        o.put("library_source_description", r.plan().describe());
        o.put("library_problem", r.plan().problem().orElse(null));
        o.putObject("javacpp").put("jar", r.redistJar().map(Path::toString).orElse(null))
                .put("versions", r.plan().redistVersions()).put("cache", r.redistCache().toString());
        ObjectNode devices = o.putObject("devices");
        devices.putObject("cpu").put("works", cpuProblem.isEmpty()).put("problem", cpuProblem.orElse(null));
        r.check().ifPresent(c -> devices.putObject("cuda:" + c.device()).put("works", c.works())
                .put("summary", c.works() ? c.summary() : null).put("problem", c.works() ? null : c.problem()));
        o.put("asked", verdict.asked()).put("chosen", verdict.chosen()).put("works", verdict.works())
                .put("why", verdict.why());
        ArrayNode advice = o.putArray("advice");
        advice(r, verdict).forEach(advice::add);
        return o;
    }
}
