package dev.mlv.git;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * The Git config files a user has, found as the git command line finds them from an environment
 * ({@code HOME}, {@code XDG_CONFIG_HOME}, {@code GIT_CONFIG_GLOBAL}, {@code GIT_CONFIG_NOSYSTEM}),
 * not from Java's {@code user.home}, which CI containers often set elsewhere (GitHub Actions' container
 * jobs run with {@code HOME=/github/home}). The environment is passed in, so that a caller's own
 * (a test's sandbox, an embedding application's) applies rather than this process's.
 */
public final class GitUserConfig {
    private GitUserConfig() {
    }

    /** The user's home as git sees it: {@code $HOME}, or JGit's idea of it when that is unset. */
    public static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return home == null || home.isEmpty() ? FS.DETECTED.userHome().toPath() : Path.of(home);
    }

    /** {@code $XDG_CONFIG_HOME/git/config}, by default {@code $HOME/.config/git/config}. */
    public static Path xdgFile(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg == null || xdg.isEmpty() ? home(env).resolve(".config") : Path.of(xdg);
        return base.resolve("git").resolve("config");
    }

    /** {@code $HOME/.gitconfig}. */
    public static Path dotFile(Map<String, String> env) {
        return home(env).resolve(".gitconfig");
    }

    /**
     * The file {@code git config --global} writes: {@code $GIT_CONFIG_GLOBAL} when set, else
     * {@code $HOME/.gitconfig}, or {@code $XDG_CONFIG_HOME/git/config} when only that one exists.
     */
    public static Path globalFile(Map<String, String> env) {
        String explicit = env.get("GIT_CONFIG_GLOBAL");
        if (explicit != null && !explicit.isEmpty()) {
            return Path.of(explicit);
        }
        Path dot = dotFile(env);
        Path xdg = xdgFile(env);
        return !Files.exists(dot) && Files.exists(xdg) ? xdg : dot;
    }

    /**
     * The configuration git would read in {@code git} (null: outside any repository): the system
     * config (as JGit finds it; none when {@code GIT_CONFIG_NOSYSTEM} is set), then the global files
     * (the XDG file, then {@code ~/.gitconfig}, or {@code $GIT_CONFIG_GLOBAL} alone), then the
     * repository's own {@code config}; a later file wins. Read afresh on each call.
     *
     * @throws IOException when a file cannot be read or parsed (the message names the file)
     */
    public static Config load(Map<String, String> env, Repository git) throws IOException {
        return load(env, git == null ? null : repositoryConfigFile(git));
    }

    /** As {@link #load(Map, Repository)}, with the repository's config file given (null: none). */
    public static Config load(Map<String, String> env, File repositoryConfig) throws IOException {
        Config config = systemConfig(env);
        String explicit = env.get("GIT_CONFIG_GLOBAL");
        if (explicit != null && !explicit.isEmpty()) {
            config = read(config, new File(explicit));
        } else {
            config = read(config, xdgFile(env).toFile());
            config = read(config, dotFile(env).toFile());
        }
        return repositoryConfig == null ? config : read(config, repositoryConfig);
    }

    /**
     * Makes JGit read the user's config from {@code home} in this whole process, as git does from
     * {@code $HOME}, instead of from Java's {@code user.home}.
     */
    public static void useHome(Path home) {
        FS.DETECTED.setUserHome(home.toFile());
    }

    private static File repositoryConfigFile(Repository git) {
        StoredConfig stored = git.getConfig();
        if (stored instanceof FileBasedConfig file && file.getFile() != null) {
            return file.getFile();
        }
        return new File(git.getCommonDirectory(), "config");
    }

    private static Config systemConfig(Map<String, String> env) throws IOException {
        String noSystem = env.get("GIT_CONFIG_NOSYSTEM");
        if (noSystem != null && !noSystem.isEmpty()) {
            return new Config();
        }
        try {
            return SystemReader.getInstance().getSystemConfig();
        } catch (ConfigInvalidException e) {
            throw new IOException("the system Git config cannot be parsed: " + e.getMessage(), e);
        }
    }

    private static Config read(Config base, File file) throws IOException {
        FileBasedConfig config = new FileBasedConfig(base, file, FS.DETECTED);
        try {
            config.load();
        } catch (ConfigInvalidException e) {
            throw new IOException("Git config " + file + " cannot be parsed: " + e.getMessage()
                    + "; fix it with 'git config --file " + file + " --edit'", e);
        }
        return config;
    }
}
