package dev.mlv.core.gitinterop;

import dev.mlv.core.MlvException;
import dev.mlv.core.Session;
import dev.mlv.git.FilterDriverConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code mlv uninstall}: removes the {@code mlv} filter driver from one repository's
 * {@code .git/config} or from the user's global config, and git-lfs's {@code mlv} transfer agent
 * ({@code mlv install --lfs-agent}) with it. Files already checked out stay as they
 * are; afterwards plain git sees pointers where it read large files.
 */
public final class Uninstall {
    private final Session session;
    private Path directory;
    private GitConfigScope scope = GitConfigScope.LOCAL;

    public Uninstall(Session session) {
        this.session = session;
    }

    public Uninstall setDirectory(Path directory) {
        this.directory = directory;
        return this;
    }

    public Uninstall setScope(GitConfigScope scope) {
        this.scope = scope;
        return this;
    }

    /** What was removed ({@code removed} empty when mlv's filter was not configured there). */
    public record Result(String scope, String configFile, List<String> removed) {
    }

    public Result call() throws MlvException {
        Path file = scope.file(session, directory);
        try {
            List<String> removed = new java.util.ArrayList<>(new FilterDriverConfig(file).uninstall());
            removed.addAll(new dev.mlv.git.LfsAgentConfig(file).uninstall());
            return new Result(scope.label(), file.toString(), List.copyOf(removed));
        } catch (IOException e) {
            throw new MlvException("cannot remove mlv's filter from " + file + ": " + e.getMessage(), e);
        }
    }
}
