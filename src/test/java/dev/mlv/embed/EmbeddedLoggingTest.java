package dev.mlv.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.cli.CliHarness;
import dev.mlv.cli.Main;
import dev.mlv.core.MlvRepository;
import dev.mlv.testing.Slow;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mlv embedded in an application stays out of the application's logging (docs/api.md). Each test
 * starts a JVM on what such an application has: its own classes and {@code logback.xml}, mlv's
 * classes, mlv's runtime dependencies as Maven resolves them for a library user (Logback is
 * optional, so not among them; the build writes them to {@code target/runtime-classpath.txt}), and
 * the application's own Logback. The repository it reads has a stray file among its pack indexes,
 * so that the store logs a warning while it reads on.
 */
@Slow
class EmbeddedLoggingTest {
    /** The application's configuration: a pattern nothing else writes, mlv's loggers at DEBUG. */
    private static final String HOST_LOGBACK_XML = """
            <configuration>
              <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>HOST|%level|%logger|%msg%n</pattern></encoder>
              </appender>
              <logger name="dev.mlv" level="DEBUG"/>
              <root level="INFO"><appender-ref ref="out"/></root>
            </configuration>
            """;
    private static final String STRAY_INDEX = "index/" + "ab".repeat(32) + ".idx";

    @TempDir
    Path root;
    Path repo;
    byte[] model;
    String classPath;

    @BeforeEach
    void anApplicationAndARepositoryWithAStrayPackIndex() throws Exception {
        assertThat(new CliHarness(root).run("init", "-q", "repo").exitCode()).isZero();
        repo = root.resolve("repo");
        model = new byte[300_000];
        new Random(3).nextBytes(model);
        Files.write(repo.resolve("models/model.bin"), model);
        CliHarness.Result commit = new CliHarness(repo).run("train-commit", "-q", "-m", "model");
        assertThat(commit.exitCode()).as(commit.toString()).isZero();
        Files.writeString(repo.resolve(".git/mlv/store").resolve(STRAY_INDEX), "not an index\n");

        Path app = Files.createDirectories(root.resolve("app"));
        Path appClass = app.resolve(HostApp.class.getName().replace('.', '/') + ".class");
        Files.createDirectories(appClass.getParent());
        try (InputStream in = HostApp.class.getResourceAsStream(HostApp.class.getSimpleName() + ".class")) {
            Files.copy(in, appClass);
        }
        Files.writeString(app.resolve("logback.xml"), HOST_LOGBACK_XML);

        String runtimeClasspathFile = System.getProperty("mlv.test.runtimeClasspath");
        assertThat(runtimeClasspathFile).as("mlv.test.runtimeClasspath (set by the Maven build)").isNotNull();
        List<String> entries = new ArrayList<>();
        entries.add(app.toString());
        entries.add(location(MlvRepository.class.getProtectionDomain().getCodeSource()));
        entries.add(Files.readString(Path.of(runtimeClasspathFile)).trim());
        entries.add(location(ch.qos.logback.classic.LoggerContext.class.getProtectionDomain().getCodeSource()));
        entries.add(location(ch.qos.logback.core.Context.class.getProtectionDomain().getCodeSource()));
        classPath = String.join(File.pathSeparator, entries);
    }

    @Test
    void theLibraryLogsInTheApplicationsPatternAndNeverInMlvsOwn() throws Exception {
        Run run = java(HostApp.class.getName(), repo.toString(), "main", "models/model.bin");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("HOST|INFO|host|read " + model.length + " bytes of models/model.bin")
                .contains("HOST|WARN|dev.mlv.store.PackCatalog|skipping unreadable pack index: index " + STRAY_INDEX);
        assertThat(run.out()).doesNotContain("mlv: ");
        assertThat(run.err()).as("no SLF4J or Logback complaint, no mlv line").isEmpty();
    }

    @Test
    void theCommandLineOnTheSameClassPathKeepsItsOwnFormatOnStderr() throws Exception {
        Path copy = root.resolve("copy.bin");
        Run run = java(Main.class.getName(), "-q", "-C", repo.toString(), "cat", "main:models/model.bin", "-o", copy.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readAllBytes(copy)).isEqualTo(model);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).as(run.toString()).singleElement().asString()
                .startsWith("mlv: WARN PackCatalog: skipping unreadable pack index: index " + STRAY_INDEX);
    }

    private static String location(CodeSource source) throws Exception {
        return Path.of(source.getLocation().toURI()).toString();
    }

    private Run java(String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classPath, mainClass));
        command.addAll(List.of(args));
        Path out = root.resolve("stdout.txt");
        Path err = root.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("HOME", root.resolve(".home").toString());
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process process = pb.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("timed out: " + command);
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** What one JVM printed and returned. */
    private record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
