package dev.mlv.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.cli.CliHarness;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/api.md's code compiles as it stands against mlv's classes, and its example program prints
 * what the repository holds when run, in a JVM of its own as an embedding application would.
 */
@Timeout(120)
class ApiDocExampleTest {
    private static final Path DOC = Path.of("docs", "api.md");
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?ms)^```java\\n(.*?)^```$");
    private static final Pattern PUBLIC_CLASS = Pattern.compile("(?m)^public (?:final )?class (\\w+)");

    @TempDir
    Path root;

    @Test
    void theExampleCompilesAndPrintsWhatProdHolds() throws Exception {
        Path classes = compile(javaBlocks(Files.readString(DOC, StandardCharsets.UTF_8)));

        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        Path dir = root.resolve("p");
        CliHarness mlv = new CliHarness(dir);
        byte[] model = new byte[400_000];
        new Random(5).nextBytes(model);
        Files.write(dir.resolve("models/model.onnx"), model);
        Files.createDirectories(dir.resolve("metrics"));
        Files.writeString(dir.resolve("metrics/metrics.json"), "{\"accuracy\": 0.9, \"eval\": {\"f1\": 0.75}}");
        assertThat(mlv.run("train-commit", "-m", "v1").exitCode()).isZero();
        assertThat(mlv.run("promote", "main", "prod", "--create").exitCode()).isZero();

        String gitkeep;
        try (MlvRepository repo = MlvRepository.open(dir)) {
            RepoFile keep = repo.file("prod", "models/.gitkeep");
            gitkeep = "models/.gitkeep " + keep.size() + " " + (keep.large() ? "large" : "git") + " " + keep.oid();
        }
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        assertThat(run(classes, "ServeProd", dir.resolve("models"))).isEqualTo(String.join("\n",
                gitkeep,
                "models/model.onnx 400000 large " + sha256,
                "loaded 400000 bytes",
                "accuracy = 0.9",
                "eval.f1 = 0.75",
                "#1 promote from main at " + CliHarness.NOW,
                ""));
    }

    /** The ```java blocks of a Markdown page. */
    static List<String> javaBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertThat(blocks).as("```java blocks in " + DOC).isNotEmpty();
        return blocks;
    }

    /** Compiles each block as its own source file, as a user would paste it; fails on any error. */
    private Path compile(List<String> blocks) throws IOException {
        Path sources = Files.createDirectories(root.resolve("src"));
        List<File> files = new ArrayList<>();
        for (String block : blocks) {
            Matcher name = PUBLIC_CLASS.matcher(block);
            assertThat(name.find()).as("a block of %s is not a complete class:%n%s", DOC, block).isTrue();
            Path file = sources.resolve(name.group(1) + ".java");
            Files.writeString(file, block, StandardCharsets.UTF_8);
            files.add(file.toFile());
        }
        Path classes = Files.createDirectories(root.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", classPath(), "-d", classes.toString(), "--release", "17", "-Xlint:all");
            Boolean ok = javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromFiles(files)).call();
            List<Diagnostic<? extends JavaFileObject>> errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
            assertThat(errors).as("compiling the code of %s:%n%s", DOC, describe(diagnostics)).isEmpty();
            assertThat(ok).isTrue();
        }
        return classes;
    }

    private static String describe(DiagnosticCollector<JavaFileObject> diagnostics) {
        return diagnostics.getDiagnostics().stream()
                .map(d -> d.getKind() + " line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                .collect(Collectors.joining("\n"));
    }

    /** Runs {@code main} of the compiled example in a new JVM; returns its stdout. */
    private String run(Path classes, String mainClass, Path repo) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", classes + File.pathSeparator + classPath(), mainClass, repo.toString());
        pb.environment().put("HOME", root.resolve("home").toString());
        Path out = root.resolve("example.out");
        Path err = root.resolve("example.err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(mainClass + " did not finish within 90 s");
        }
        assertThat(p.exitValue()).as("%s failed:%n%s", mainClass, Files.readString(err)).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static String classPath() {
        // Surefire may start the test JVM from a manifest-only jar; its real class path is here.
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
