package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlv.testing.Slow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mlv executable in a process whose {@code HOME} is not Java's {@code user.home}, as in a CI
 * container: JGit and the identity both read the user's Git config under {@code $HOME}, as git does.
 * Slow: two JVMs start.
 */
@Slow
class GitHomeTest {
    @TempDir
    Path root;

    @Test
    void theExecutableReadsTheUsersGitConfigUnderHome() throws Exception {
        Path home = root.resolve("home");
        assertThat(home.toString()).isNotEqualTo(System.getProperty("user.home"));
        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        Path repo = root.resolve("p");
        Files.createDirectories(home);
        Files.writeString(home.resolve("ignore"), "scratch.txt\n");
        Files.writeString(home.resolve(".gitconfig"), "[user]\n\tname = Container User\n\temail = ci@example.com\n"
                + "[core]\n\texcludesFile = " + home.resolve("ignore") + "\n");
        Files.writeString(repo.resolve("scratch.txt"), "not for Git\n");

        // JGit's own reading of ~/.gitconfig: git ignores scratch.txt through core.excludesFile
        Run status = mlv(home, "-C", repo.toString(), "--json", "status");
        assertThat(status.exitCode).as(status.err).isZero();
        JsonNode json = new ObjectMapper().readTree(status.out);
        assertThat(json.path("clean").asBoolean()).as(status.out).isTrue();

        Run commit = mlv(home, "-C", repo.toString(), "train-commit", "-m", "ci", "--allow-empty");
        assertThat(commit.exitCode).as(commit.err).isZero();
        try (Repository git = new FileRepositoryBuilder().setWorkTree(repo.toFile()).setup().build();
             RevWalk walk = new RevWalk(git)) {
            PersonIdent author = walk.parseCommit(git.resolve("HEAD")).getAuthorIdent();
            assertThat(author.getName() + " <" + author.getEmailAddress() + ">").isEqualTo("Container User <ci@example.com>");
        }
    }

    private record Run(int exitCode, String out, String err) {
    }

    /** {@code mlv ARGS} in a new JVM with {@code HOME=home} and no identity variables. */
    private Run mlv(Path home, String... args) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classPath, Main.class.getName()));
        command.addAll(List.of(args));
        Path out = root.resolve("mlv.out");
        Path err = root.resolve("mlv.err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GIT_") || k.equals("EMAIL"));
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("HOME", home.toString());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("timed out: " + command);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
