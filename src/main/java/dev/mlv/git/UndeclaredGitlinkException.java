package dev.mlv.git;

import java.io.IOException;
import java.util.List;

/**
 * Staging met a submodule (a gitlink) at a path that {@code .gitmodules} does not declare, e.g. a
 * data work tree left on a branch that pins no data; the index was not changed.
 */
public final class UndeclaredGitlinkException extends IOException {
    private final List<String> paths;

    public UndeclaredGitlinkException(List<String> paths) {
        super("gitlink(s) without a .gitmodules entry: " + String.join(", ", paths));
        this.paths = List.copyOf(paths);
    }

    public List<String> paths() {
        return paths;
    }
}
