package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlv serve} as a script starts it: {@code --port 0 --json}, read the URL, stop it. */
class ServeCommandTest {
    @TempDir
    Path root;

    @Test
    @Timeout(60)
    void jsonTellsAScriptWhereThePickedPortIsThenServesUntilInterrupted() throws Exception {
        CliHarness.Result init = new CliHarness(root).run("init", "repo");
        assertThat(init.exitCode()).as(init.toString()).isZero();

        PipedInputStream stdout = new PipedInputStream(1 << 16);
        PrintStream out = new PrintStream(new PipedOutputStream(stdout), true, StandardCharsets.UTF_8);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment env = new CliEnvironment(root.resolve("repo"), Map.of("HOME", root.resolve(".home").toString()),
                Clock.systemUTC(), new ByteArrayInputStream(new byte[0]), out,
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        AtomicInteger exit = new AtomicInteger(-1);
        Thread serve = new Thread(() -> exit.set(Cli.run(env, "serve", "--port", "0", "--json")), "serve-under-test");
        serve.start();
        try {
            JsonNode doc = new ObjectMapper().readTree(firstDocument(stdout));
            assertThat(doc.get("url").asText()).startsWith("http://127.0.0.1:").doesNotEndWith(":0/");
            assertThat(doc.get("tokenRequired").asBoolean()).isFalse();
            assertThat(doc.get("workTree").asText()).isEqualTo(root.resolve("repo").toString());
            // the clone URL names the work tree's folder, and answers as a Git smart HTTP endpoint
            assertThat(doc.get("gitUrl").asText()).isEqualTo(doc.get("url").asText() + "repo.git");
            HttpResponse<String> advertisement = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(doc.get("gitUrl").asText() + "/info/refs?service=git-upload-pack")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(advertisement.headers().firstValue("Content-Type")).hasValue("application/x-git-upload-pack-advertisement");
            assertThat(advertisement.body()).contains("refs/heads/main");

            HttpResponse<String> refs = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(doc.get("refs").asText())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refs.statusCode()).isEqualTo(200);
            assertThat(refs.body()).contains("\"main\"");
        } finally {
            serve.interrupt();
            serve.join(30_000);
        }
        assertThat(serve.isAlive()).isFalse();
        assertThat(exit.get()).as(err.toString(StandardCharsets.UTF_8)).isZero();
    }

    @Test
    @Timeout(60)
    void openStartsTheBrowserOnTheWebView() throws Exception {
        assertThat(new CliHarness(root).run("init", "repo").exitCode()).isZero();
        Path opened = root.resolve("opened.txt");
        Path opener = root.resolve("opener.sh");
        java.nio.file.Files.writeString(opener, "#!/bin/sh\necho \"$1\" > " + opened + ".tmp && mv " + opened + ".tmp " + opened + "\n");
        assertThat(opener.toFile().setExecutable(true)).isTrue();
        PipedInputStream stdout = new PipedInputStream(1 << 16);
        PrintStream out = new PrintStream(new PipedOutputStream(stdout), true, StandardCharsets.UTF_8);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment env = new CliEnvironment(root.resolve("repo"), Map.of("HOME", root.resolve(".home").toString(),
                "BROWSER", opener.toString()), Clock.systemUTC(), new ByteArrayInputStream(new byte[0]), out,
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        AtomicInteger exit = new AtomicInteger(-1);
        Thread serve = new Thread(() -> exit.set(Cli.run(env, "serve", "--port", "0", "--json", "--open")), "serve-under-test");
        serve.start();
        try {
            JsonNode doc = new ObjectMapper().readTree(firstDocument(stdout));
            assertThat(doc.get("ui").asText()).isEqualTo(doc.get("url").asText() + "ui/");
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!java.nio.file.Files.exists(opened) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(java.nio.file.Files.readString(opened).strip()).isEqualTo(doc.get("ui").asText());
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(doc.get("ui").asText())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).contains("data-branch=\"main\"");
        } finally {
            serve.interrupt();
            serve.join(30_000);
        }
        assertThat(exit.get()).as(err.toString(StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void theOpenerComesFromBrowserOrTheDesktop() {
        assertThat(BrowserOpener.command(Map.of("BROWSER", "firefox --new-tab %s:lynx"), "Linux", "http://h/ui/"))
                .containsExactly("firefox", "--new-tab", "http://h/ui/");
        assertThat(BrowserOpener.command(Map.of("BROWSER", "chromium"), "Linux", "http://h/ui/")).containsExactly("chromium", "http://h/ui/");
        assertThat(BrowserOpener.command(Map.of(), "Linux", "u")).containsExactly("xdg-open", "u");
        assertThat(BrowserOpener.command(Map.of(), "Mac OS X", "u")).containsExactly("open", "u");
        assertThat(BrowserOpener.command(Map.of(), "Windows 11", "u")).containsExactly("rundll32", "url.dll,FileProtocolHandler", "u");
    }

    /** Reads up to the closing brace of the pretty-printed document at the start of the stream. */
    private static String firstDocument(InputStream in) throws Exception {
        StringBuilder text = new StringBuilder();
        int depth = 0;
        for (int c = in.read(); c >= 0; c = in.read()) {
            text.append((char) c);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return text.toString();
            }
        }
        throw new AssertionError("serve ended its output without a JSON document: " + text);
    }
}
