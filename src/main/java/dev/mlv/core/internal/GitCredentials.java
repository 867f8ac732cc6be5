package dev.mlv.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Credentials for an HTTP server from git's credential helpers, as git-lfs gets them: {@code git
 * credential fill} with the protocol, host (and port) and path, then {@code approve} once the
 * server accepted them or {@code reject} when it refused them. mlv keeps them in memory only and
 * writes them nowhere; what the helpers store is their business.
 */
public final class GitCredentials {
    /** A user name and password (or token) for one server. */
    public record Credential(String username, String password) {
        @Override
        public String toString() {
            return "Credential[" + username + ", ****]"; // never a password in a log or message
        }

        String basic() {
            return "Basic " + java.util.Base64.getEncoder().encodeToString(
                    (username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Path directory;
    private final Map<String, String> env;

    /** {@code directory}: where git runs (the work tree, so its repository's config counts); {@code env}: overrides. */
    public GitCredentials(Path directory, Map<String, String> env) {
        this.directory = directory;
        this.env = env;
    }

    /** What the helpers (or git's prompt, on a terminal) give for {@code url}; null when they give nothing. */
    public Credential fill(URI url) throws IOException {
        String out = run("fill", describe(url, null));
        if (out == null) {
            return null;
        }
        String user = null;
        String password = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("username=")) {
                user = line.substring("username=".length());
            } else if (line.startsWith("password=")) {
                password = line.substring("password=".length());
            }
        }
        return password == null ? null : new Credential(user == null ? "" : user, password);
    }

    /** Tells the helpers the credential worked (they may store it). */
    public void approve(URI url, Credential c) throws IOException {
        run("approve", describe(url, c));
    }

    /** Tells the helpers the credential was refused (they forget it). */
    public void reject(URI url, Credential c) throws IOException {
        run("reject", describe(url, c));
    }

    private static String describe(URI url, Credential c) {
        StringBuilder s = new StringBuilder();
        s.append("protocol=").append(url.getScheme()).append('\n');
        s.append("host=").append(url.getHost()).append(url.getPort() < 0 ? "" : ":" + url.getPort()).append('\n');
        String path = url.getRawPath();
        if (path != null && path.length() > 1) {
            s.append("path=").append(path.substring(1)).append('\n');
        }
        if (c != null) {
            s.append("username=").append(c.username()).append('\n');
            s.append("password=").append(c.password()).append('\n');
        }
        return s.append('\n').toString();
    }

    /** Runs {@code git credential ACTION}; its output, or null when it failed (no helper, no terminal). */
    private String run(String action, String input) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("git", "credential", action).directory(directory.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run 'git credential " + action + "' (is git installed?): " + e.getMessage(), e);
        }
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // git exited before reading everything: its exit status says why
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream o = p.getInputStream()) {
            o.transferTo(out);
        }
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return null;
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("'git credential " + action + "' was interrupted");
        }
        return p.exitValue() == 0 ? out.toString(StandardCharsets.UTF_8) : null;
    }
}
