package dev.mlv.git;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Properties;
import org.eclipse.jgit.util.FS;

/**
 * Where git's system-wide config file is, remembered between runs. JGit finds it by starting
 * {@code git --version} and {@code git config --system --list --show-origin} on first use in each
 * process: about 40 ms of every mlv command that opens a repository, for an answer that changes
 * only when git is reinstalled. This asks once per git executable and keeps the answer in
 * {@code $XDG_CACHE_HOME/mlv/git-system-config} (by default under {@code ~/.cache}), keyed by the
 * executable's path, size and modification time.
 *
 * <p>{@code GIT_CONFIG_SYSTEM} names the file directly, as it does for git (2.32 and later);
 * {@code GIT_CONFIG_NOSYSTEM} is left to JGit, which then reads no system config. An answer of
 * "no system config" is never remembered, so a file created later is still found; nor is a
 * remembered file that has since disappeared trusted. Any failure here leaves JGit to ask git.
 */
public final class GitSystemConfig {
    private static final String GIT = "git";

    private GitSystemConfig() {
    }

    /** Tells {@code fs} (in the command line: {@link FS#DETECTED}) where the system config is, asking git only when nothing is remembered. */
    public static void remember(FS fs, Map<String, String> env) {
        remember(fs, env, fs::getGitSystemConfig);
    }

    /** As {@link #remember(FS, Map)}, with {@code ask} finding the file when nothing is remembered (JGit asks git). */
    static void remember(FS fs, Map<String, String> env, java.util.function.Supplier<File> ask) {
        if (!empty(env.get("GIT_CONFIG_NOSYSTEM"))) {
            return;
        }
        String explicit = env.get("GIT_CONFIG_SYSTEM");
        if (!empty(explicit)) {
            fs.setGitSystemConfig(new File(explicit));
            return;
        }
        Path cache = cacheFile(env);
        String git = gitStamp(env.get("PATH"));
        if (cache == null || git == null) {
            return;
        }
        Properties remembered = read(cache);
        String file = remembered.getProperty("config");
        if (git.equals(remembered.getProperty("git")) && file != null && Files.isRegularFile(Path.of(file))) {
            fs.setGitSystemConfig(new File(file));
            return;
        }
        File found = ask.get();
        fs.setGitSystemConfig(found); // asked once in this process, whatever the answer
        if (found != null) {
            write(cache, git, found.getAbsolutePath());
        }
    }

    /** The cache file: {@code $XDG_CACHE_HOME/mlv/git-system-config}, else {@code $HOME/.cache/mlv/...}; null without either. */
    static Path cacheFile(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        if (!empty(xdg) && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "mlv", "git-system-config");
        }
        String home = env.get("HOME");
        return empty(home) ? null : Path.of(home, ".cache", "mlv", "git-system-config");
    }

    /** "path size mtime" of the first {@code git} on {@code path}, resolved; null when there is none. */
    static String gitStamp(String path) {
        if (empty(path)) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            try {
                Path candidate = Path.of(dir, GIT);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    Path real = candidate.toRealPath();
                    BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
                    return real + " " + a.size() + " " + a.lastModifiedTime().toMillis();
                }
            } catch (IOException | RuntimeException e) {
                // an unreadable PATH entry: git would skip it too
            }
        }
        return null;
    }

    private static Properties read(Path cache) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(cache, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | RuntimeException e) {
            p.clear(); // none yet, or unreadable: ask git
        }
        return p;
    }

    private static void write(Path cache, String git, String config) {
        Properties p = new Properties();
        p.setProperty("git", git);
        p.setProperty("config", config);
        try {
            Files.createDirectories(cache.getParent());
            Path tmp = Files.createTempFile(cache.getParent(), "git-system-config", ".tmp");
            try {
                try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    p.store(out, "where git's system config is (mlv asks git again when git changes; safe to delete)");
                }
                Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            // a read-only home: the next run asks git again
        }
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }
}
