package dev.mlv.core.gitinterop;

import dev.mlv.core.MlvException;
import dev.mlv.core.Session;
import dev.mlv.git.GitUserConfig;
import dev.mlv.git.MlvGitRepository;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which Git config file {@code mlv install} and {@code mlv uninstall} edit: the repository's
 * {@code .git/config}, or the user's global config (the file the git command line reads for
 * {@code --global}: {@code $HOME/.gitconfig}, see {@link GitUserConfig#globalFile}).
 */
public enum GitConfigScope {
    LOCAL,
    GLOBAL;

    /** The lower-case name shown in output and JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The config file for this scope, for a command run in {@code directory}. */
    Path file(Session session, Path directory) throws MlvException {
        if (this == GLOBAL) {
            return GitUserConfig.globalFile(session.env());
        }
        Path gitDir = gitDir(session, directory);
        try {
            return MlvGitRepository.commonDir(gitDir).resolve("config"); // linked work trees share the main one's
        } catch (IOException e) {
            throw new MlvException("cannot read " + gitDir.resolve("commondir") + ": " + e.getMessage(), e);
        }
    }

    /**
     * The git directory a command in {@code directory} belongs to: {@code GIT_DIR} when git set it
     * (for a filter it starts), else found by searching upwards like git.
     */
    static Path gitDir(Session session, Path directory) throws MlvException {
        String fromGit = session.env("GIT_DIR");
        if (fromGit != null && !fromGit.isEmpty()) {
            return directory.resolve(fromGit).toAbsolutePath().normalize();
        }
        Path found = MlvGitRepository.findGitDir(directory.toAbsolutePath().normalize());
        if (found == null) {
            throw MlvException.notFound("not in a Git repository: " + directory
                    + "; run it inside a repository, create one with 'mlv init', or use --global");
        }
        return found;
    }
}
