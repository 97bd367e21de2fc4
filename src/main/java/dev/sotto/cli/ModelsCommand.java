package dev.sotto.cli;

import picocli.CommandLine.Command;

/** {@code sotto models}: the model catalogue and cache (list, pull, verify, remove, path, pack, unpack). */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Models by name: list what is installed and available, pull from the catalogue (with checksums "
                + "and resume), verify, remove, and carry models to machines without network (pack/unpack). "
                + "Cache: SOTTO_HOME (default ~/.sotto); mirrors: SOTTO_MODEL_MIRROR, SOTTO_HF_ENDPOINT; SOTTO_OFFLINE=1.",
        subcommands = {ModelsListCommand.class, ModelsPullCommand.class, ModelsVerifyCommand.class,
                ModelsRemoveCommand.class, ModelsPathCommand.class, ModelsPackCommand.class, ModelsUnpackCommand.class})
final class ModelsCommand {
}
