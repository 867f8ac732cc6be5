package dev.mlv.cli;

import dev.mlv.core.gitinterop.ImportLfs;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlv import-lfs [--all-refs] [--allow-missing]}. */
@Command(
        name = "import-lfs",
        description = {
            "Move a Git LFS repository's large files to mlv without rewriting history.",
            "The pointer files already have mlv's format: mlv reads the LFS objects that HEAD references (every ref's"
                    + " history with --all-refs) from .git/lfs/objects into its store, checking each one's SHA-256,"
                    + " then switches filter=lfs to filter=mlv in .gitattributes in a new commit and configures"
                    + " mlv's filter for git in .git/config. Nothing is switched while an object is missing or corrupt.",
        },
        footer = {
            "",
            "Examples:",
            "  git lfs fetch --all && mlv import-lfs --all-refs",
            "  mlv import-lfs --allow-missing   # switch now; the missing objects cannot be checked out",
            "",
            "Exit codes: 5 when objects are missing (they are listed by path), 6 when one is corrupt.",
        })
final class ImportLfsCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--all-refs", description = "Import what every branch, tag and remote ref ever referenced, not only HEAD.")
    private boolean allRefs;

    @Option(names = "--allow-missing", description = "Switch to mlv even if some LFS objects are missing locally.")
    private boolean allowMissing;

    ImportLfsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        ImportLfs.Result r = new ImportLfs(context.session())
                .setDirectory(context.directory())
                .setAllRefs(allRefs)
                .setAllowMissing(allowMissing)
                .setLauncher(Launcher.resolve(null))
                .call();
        r.warnings().forEach(context::warn);
        if (context.json()) {
            context.printJson(r);
            return ExitCodes.OK;
        }
        context.info(String.format(Locale.ROOT, "Git LFS objects: %d referenced, %d imported (%s), %d already in mlv's store",
                r.objects(), r.imported(), Sizes.human(r.importedBytes()), r.alreadyStored()));
        for (ImportLfs.Missing m : r.missing()) {
            context.warn("missing " + m.path() + " (sha256:" + m.oid() + ", " + m.size() + " bytes)");
        }
        if (r.commit() == null) {
            context.info(".gitattributes has no filter=lfs line; nothing to switch");
        } else {
            context.info("Switched .gitattributes to mlv in commit " + r.commit().substring(0, 12) + ":");
            r.switchedLines().forEach(line -> context.info("  " + line));
        }
        return ExitCodes.OK;
    }
}
