package dev.mlv.core;

import dev.mlv.git.GitSystemConfig;
import dev.mlv.git.GitUserConfig;
import java.util.Map;

/**
 * Where this process's JGit reads the user's Git config ({@code core.*}, {@code url.*}, ...): from
 * {@code $HOME}, as git does, rather than from Java's {@code user.home}, which containers often set
 * elsewhere. The command line's {@code Main} calls {@link #follow} once at start; an application
 * embedding mlv may too. The commit identity does not depend on it: each operation reads it from
 * its {@link Session}'s environment.
 */
public final class GitHome {
    private GitHome() {
    }

    /**
     * Makes JGit, for this whole process, read the user's config under {@code env}'s {@code HOME}
     * (if set), and find git's system config where an earlier run found it
     * ({@link GitSystemConfig}) instead of starting git to ask.
     */
    public static void follow(Map<String, String> env) {
        String home = env.get("HOME");
        if (home != null && !home.isEmpty()) {
            GitUserConfig.useHome(GitUserConfig.home(env));
        }
        GitSystemConfig.remember(org.eclipse.jgit.util.FS.DETECTED, env);
    }
}
