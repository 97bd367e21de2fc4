package dev.sotto.cli;

import dev.sotto.SottoException;
import dev.sotto.runtime.Runtime;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sotto}: the command line. Results go to stdout, everything else (progress, the
 * provider in use, warnings, errors) to stderr. Errors the user can fix print one line
 * and exit 1; usage errors exit 2; a stack trace only with SOTTO_DEBUG=1.
 */
@Command(name = "sotto", mixinStandardHelpOptions = true, version = "sotto 0.1.0",
        description = "Offline speech recognition: NeMo streaming transducers, Zipformer and Whisper on ONNX Runtime.",
        footer = "%nAlso: ./sotto spark --help (transcribe a manifest on Apache Spark; the launcher adds Spark's jars).")
public final class Main {
    /**
     * The subcommands. Only the one named on the command line is given to picocli, whose model of
     * a command loads and verifies its classes (and those its methods use: the server, Jackson...):
     * building all of them cost a third of a second of a short transcription. Help, errors and
     * {@code @argfile}s get them all.
     */
    static final List<Class<?>> COMMANDS = List.of(TranscribeCommand.class, FeaturesCommand.class, EvalCommand.class,
            BenchCommand.class, ServeCommand.class, DescribeCommand.class, ModelsCommand.class, DoctorCommand.class,
            DiarizeCommand.class);

    public static void main(String[] args) {
        String asked = commandName(args);
        if (COMMANDS.stream().anyMatch(c -> name(c).equals(asked) && LoadsModels.class.isAssignableFrom(c))) {
            Thread preload = new Thread(Runtime::preload, "sotto-ort-preload");
            preload.setDaemon(true);
            preload.start();
        }
        System.exit(run(args));
    }

    /** The first argument that is not an option: the subcommand, when there is one. */
    private static String commandName(String[] args) {
        return Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
    }

    static int run(String... args) {
        return run(null, args);
    }

    /** Runs with {@code env} as the environment the model settings read (null: the process's). */
    static int run(Map<String, String> env, String... args) {
        CliEnvironment.set(env);
        try {
            return execute(args);
        } finally {
            CliEnvironment.set(null);
        }
    }

    private static int execute(String... args) {
        Logging.configure(System.getenv("SOTTO_VERBOSE") != null);
        CommandLine cli = new CommandLine(new Main());
        String asked = commandName(args);
        boolean known = COMMANDS.stream().anyMatch(c -> name(c).equals(asked));
        for (Class<?> command : COMMANDS) {
            if (!known || name(command).equals(asked)) cli.addSubcommand(command);
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof SottoException) {
                err.println("sotto: " + e.getMessage());
                if (System.getenv("SOTTO_DEBUG") != null) e.printStackTrace(err);
                return 1;
            }
            err.println("sotto: internal error: " + e + " (set SOTTO_DEBUG=1 for the stack trace, and please report it)");
            if (System.getenv("SOTTO_DEBUG") != null) e.printStackTrace(err);
            return 70;
        });
        return cli.execute(args);
    }

    private static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }
}
