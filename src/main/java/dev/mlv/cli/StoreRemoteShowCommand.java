package dev.mlv.cli;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.StoreRemote;
import dev.mlv.core.remote.StoreRemoteConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mlv store remote show}. */
@Command(name = "show", description = "List the store remotes; the default one is marked with '*'.")
final class StoreRemoteShowCommand implements Callable<Integer> {
    private final CliContext context;

    StoreRemoteShowCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            StoreRemoteConfig.ShowResult r = new StoreRemoteConfig(repo).show();
            if (context.json()) {
                context.printJson(r);
                return ExitCodes.OK;
            }
            if (r.remotes().isEmpty()) {
                context.info("no store remotes; add one with 'mlv store remote set origin URL'");
            }
            for (StoreRemote s : r.remotes()) {
                StringBuilder line = new StringBuilder(s.name().equals(r.defaultRemote()) ? "* " : "  ")
                        .append(s.name()).append('\t').append(s.url());
                if (s.endpoint() != null) {
                    line.append(" endpoint=").append(s.endpoint());
                }
                if (s.region() != null) {
                    line.append(" region=").append(s.region());
                }
                if (s.pathStyle()) {
                    line.append(" path-style");
                }
                if (!s.hardLinks()) {
                    line.append(" no-hard-links");
                }
                context.out().println(line);
            }
            return ExitCodes.OK;
        }
    }
}
