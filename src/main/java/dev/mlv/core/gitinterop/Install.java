package dev.mlv.core.gitinterop;

import dev.mlv.core.MlvException;
import dev.mlv.core.Session;
import dev.mlv.core.internal.LfsHooks;
import dev.mlv.git.FilterDriverConfig;
import dev.mlv.git.LfsAgentConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mlv install}: configures the {@code mlv} filter driver for the git command line, in one
 * repository's {@code .git/config} or in the user's global config, so that {@code git add},
 * {@code git checkout}, {@code git status} and {@code git diff} store and restore large files
 * through {@code mlv filter-process}. Running it again changes nothing.
 */
public final class Install {
    /** The launcher used when the caller knows none: {@code mlv} found on git's PATH. */
    public static final String DEFAULT_LAUNCHER = "mlv";

    private final Session session;
    private Path directory;
    private GitConfigScope scope = GitConfigScope.LOCAL;
    private String launcher = DEFAULT_LAUNCHER;
    private boolean lfsAgent;
    private String agentStore;

    public Install(Session session) {
        this.session = session;
    }

    /** Where the command runs: the repository for {@link GitConfigScope#LOCAL}. */
    public Install setDirectory(Path directory) {
        this.directory = directory;
        return this;
    }

    public Install setScope(GitConfigScope scope) {
        this.scope = scope;
        return this;
    }

    /** The mlv executable git should start; an absolute path works from any directory. */
    public Install setLauncher(String launcher) {
        this.launcher = launcher == null || launcher.isBlank() ? DEFAULT_LAUNCHER : launcher;
        return this;
    }

    /**
     * Also registers {@code mlv lfs-agent} as git-lfs's custom transfer agent {@code mlv}
     * ({@link LfsAgentConfig}); in one repository also as its standalone agent, so that repository's
     * Git LFS objects go to and come from the chunked store remote its {@code .mlv/config.json}
     * names ({@code store}: which one, null for the default).
     */
    public Install setLfsAgent(boolean lfsAgent, String store) {
        this.lfsAgent = lfsAgent;
        this.agentStore = store;
        return this;
    }

    /**
     * What was configured.
     *
     * @param scope      {@code local} or {@code global}
     * @param configFile the file written
     * @param command    the {@code filter.mlv.process} command
     * @param changed    the keys written; empty when everything was already set
     * @param warnings   what about Git LFS's hooks the user should know (local installs only)
     */
    public record Result(String scope, String configFile, String command, List<String> changed, List<String> warnings) {
    }

    public Result call() throws MlvException {
        if (agentStore != null && (!lfsAgent || !agentStore.matches("[A-Za-z0-9._-]+"))) {
            throw MlvException.usage(lfsAgent ? "bad store remote name '" + agentStore + "'"
                    : "--store applies to --lfs-agent only");
        }
        Path file = scope.file(session, directory);
        Result filter = configure(file, scope, launcher);
        boolean local = scope == GitConfigScope.LOCAL;
        try {
            List<String> changed = new ArrayList<>(filter.changed());
            if (lfsAgent) {
                if (local) {
                    // the agent's local chunk store; it also lets 'mlv store remote set' write .mlv/config.json here
                    Files.createDirectories(file.getParent().resolve("mlv"));
                }
                changed.addAll(new LfsAgentConfig(file).install(launcher, agentArgs(), local));
            }
            List<String> warnings = new ArrayList<>();
            if (local) {
                String hooks = lfsAgent ? LfsHooks.missingPrePush(file.getParent()) : LfsHooks.warning(file.getParent());
                if (hooks != null) {
                    warnings.add(hooks);
                }
            }
            return new Result(filter.scope(), filter.configFile(), filter.command(), List.copyOf(changed),
                    List.copyOf(warnings));
        } catch (IOException e) {
            throw new MlvException("cannot configure " + (lfsAgent ? "mlv's Git LFS agent" : "mlv's filter") + " in " + file
                    + ": " + e.getMessage(), e);
        }
    }

    /** What git-lfs passes the launcher: {@code lfs-agent}, and the store remote when one was named. */
    private String agentArgs() {
        return agentStore == null ? "lfs-agent" : "lfs-agent --store " + agentStore;
    }

    /** Writes the settings into a known file (init uses it for a repository it just set up). */
    public static Result configure(Path file, GitConfigScope scope, String launcher) throws MlvException {
        String command = FilterDriverConfig.processCommand(launcher);
        try {
            List<String> changed = new FilterDriverConfig(file).install(command);
            return new Result(scope.label(), file.toString(), command, changed, List.of());
        } catch (IOException e) {
            throw new MlvException("cannot configure mlv's filter in " + file + ": " + e.getMessage(), e);
        }
    }
}
