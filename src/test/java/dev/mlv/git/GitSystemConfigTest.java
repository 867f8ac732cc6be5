package dev.mlv.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.jgit.util.FS;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GitSystemConfig}: git's system config found once per git executable, then remembered. */
class GitSystemConfigTest {
    @TempDir
    Path dir;

    private final AtomicInteger asked = new AtomicInteger();

    /** Stands for JGit asking git: counts the questions and answers {@code file}. */
    private Supplier<File> git(Path file) {
        return () -> {
            asked.incrementAndGet();
            return file == null ? null : file.toFile();
        };
    }

    private Path installGit(String content) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path git = Files.writeString(bin.resolve("git"), "#!/bin/sh\n" + content + "\n");
        assertThat(git.toFile().setExecutable(true)).isTrue();
        return bin;
    }

    private Map<String, String> env(Path bin) {
        return Map.of("PATH", dir.resolve("empty") + File.pathSeparator + bin, "XDG_CACHE_HOME", dir.resolve("cache").toString());
    }

    private File remembered(Map<String, String> env, Supplier<File> ask) {
        FS fs = FS.detect();
        GitSystemConfig.remember(fs, env, ask);
        return fs.getGitSystemConfig();
    }

    @Test
    void gitIsAskedOnceAndItsAnswerRememberedUntilGitChanges() throws IOException {
        Path config = Files.writeString(dir.resolve("gitconfig"), "[core]\n\tx = y\n");
        Path bin = installGit("echo v1");
        Map<String, String> env = env(bin);

        assertThat(remembered(env, git(config))).isEqualTo(config.toFile());
        assertThat(asked).hasValue(1);
        assertThat(dir.resolve("cache/mlv/git-system-config")).exists();

        assertThat(remembered(env, git(dir.resolve("not-asked")))).isEqualTo(config.toFile());
        assertThat(asked).as("the next run does not ask git").hasValue(1);

        installGit("echo v2, reinstalled elsewhere");
        Path moved = Files.writeString(dir.resolve("moved-gitconfig"), "");
        assertThat(remembered(env, git(moved))).isEqualTo(moved.toFile());
        assertThat(asked).as("another git executable: asked again").hasValue(2);
    }

    @Test
    void aRememberedFileThatIsGoneIsNotTrustedAndNoFileIsNeverRemembered() throws IOException {
        Path config = Files.writeString(dir.resolve("gitconfig"), "");
        Map<String, String> env = env(installGit("echo v1"));
        remembered(env, git(config));
        Files.delete(config);
        assertThat(remembered(env, git(null))).isNull();
        assertThat(asked).hasValue(2);
        assertThat(remembered(env, git(null))).isNull();
        assertThat(asked).as("'no system config' is asked again, so a file created later is found").hasValue(3);
    }

    @Test
    void gitConfigSystemNamesTheFileAndNoSystemLeavesItToJGit() throws IOException {
        Path bin = installGit("echo v1");
        Map<String, String> env = Map.of("PATH", bin.toString(), "GIT_CONFIG_SYSTEM", "/etc/elsewhere/gitconfig",
                "XDG_CACHE_HOME", dir.resolve("cache").toString());
        assertThat(remembered(env, git(dir.resolve("x")))).isEqualTo(new File("/etc/elsewhere/gitconfig"));
        Map<String, String> none = Map.of("PATH", bin.toString(), "GIT_CONFIG_NOSYSTEM", "1",
                "XDG_CACHE_HOME", dir.resolve("cache").toString());
        GitSystemConfig.remember(FS.detect(), none, git(dir.resolve("x")));
        assertThat(asked).hasValue(0);
        assertThat(dir.resolve("cache")).doesNotExist();
    }
}
