package dev.mlv.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mlv.core.experiment.BranchList;
import dev.mlv.core.ErrorKind;
import dev.mlv.core.Json;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.RepoFile;
import dev.mlv.core.serving.LfsObjects;
import dev.mlv.serve.git.GitSmartHttp;
import dev.mlv.serve.lfs.LfsApi;
import dev.mlv.serve.web.WebUi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only HTTP access to a repository's branches (see docs/cli.md, "mlv serve"):
 * <pre>
 * GET /v1/refs                           branches, tips and metrics (JSON)
 * GET /v1/refs/{branch}/metrics          one branch's metrics (JSON)
 * GET /v1/refs/{branch}/files/{path}     a file's content; Range, If-Range, ETag, If-None-Match
 * GET /v1/commits/{id}/files/{path}      the same at a commit (40 hex digits): never changes, cached as immutable
 * GET /v1/objects/{oid}                  a large file's content by its sha256 (Git LFS downloads point here)
 * GET /ui/...                            the web view ({@link WebUi}); {@code /} leads there
 * /{name}.git/...                        Git smart HTTP, read-only ({@link GitSmartHttp}), and the
 *                                        Git LFS Batch API under info/lfs/ ({@link LfsApi})
 * </pre>
 * A branch file's response names its immutable URL in {@code Content-Location}. {@code name} is
 * the work tree's folder name (a bare repository's, without {@code .git}).
 * A branch name travels as one path segment, its slashes encoded as {@code %2F}. Built on the
 * JDK's {@code com.sun.net.httpserver}, with a bounded pool of request threads.
 */
public final class MlvServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MlvServer.class);
    private static final int BUFFER = 256 << 10;
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final MlvRepository repo;
    private final TokenAuth auth;
    private final HttpServer http;
    private final AdmissionExecutor pool;
    private final String name;
    private final LfsObjects objects;
    private final GitSmartHttp git;
    private final LfsApi lfs;
    private final WebUi web;

    private MlvServer(MlvRepository repo, ServeOptions options) throws IOException {
        this.repo = repo;
        this.auth = options.token() == null ? null : new TokenAuth(options.token());
        this.name = repositoryName(repo);
        this.objects = new LfsObjects(repo);
        this.web = new WebUi(repo, name, auth == null ? null : token -> auth.allows("Bearer " + token));
        this.git = GitSmartHttp.open(repo.gitDir());
        try {
            this.http = HttpServer.create(new InetSocketAddress(options.bind(), options.port()), 64);
        } catch (IOException | RuntimeException e) {
            git.close(); // the port is taken, say: nothing else holds the Git repository
            throw e;
        }
        String base = uri().toString();
        this.lfs = new LfsApi(objects, options.token() != null, base.substring(0, base.length() - 1));
        // Bounded both ways; beyond both, 503 (never a request run on the accepting thread).
        this.pool = new AdmissionExecutor(options.threads(), options.backlog());
        http.setExecutor(pool);
        http.createContext("/", this::handle);
    }

    /** Starts serving {@code repo} (which stays open until {@link #close}). */
    public static MlvServer start(MlvRepository repo, ServeOptions options) throws MlvException {
        try {
            MlvServer server = new MlvServer(repo, options);
            server.http.start();
            return server;
        } catch (IOException e) {
            throw new MlvException("cannot listen on " + options.bind() + ":" + options.port() + ": " + e.getMessage(), e);
        }
    }

    /** The base URL, for example {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    /** The Git URL stock git clones, for example {@code http://127.0.0.1:8080/model-repo.git}. */
    public URI gitUri() {
        return uri().resolve(RequestPath.encode(name) + ".git");
    }

    /** The folder name that names the repository in Git URLs: a bare {@code repo.git}'s is {@code repo}. */
    static String repositoryName(MlvRepository repo) {
        String n = repo.directory().getFileName().toString();
        return repo.isBare() && n.endsWith(".git") && n.length() > 4 ? n.substring(0, n.length() - 4) : n;
    }

    /** Stops accepting, lets running requests finish for up to a second, and stops the threads. */
    @Override
    public void close() {
        http.stop(1);
        pool.shutdownNow();
        git.close();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (AdmissionExecutor.overloaded()) {
                ex.getResponseHeaders().set("Retry-After", "1");
                error(ex, 503, "the server is busy; retry shortly");
                return;
            }
            String path = ex.getRequestURI().getRawPath();
            if (auth != null && !auth.allows(ex.getRequestHeaders().getFirst("Authorization")) && !web.signedIn(ex)
                    && !(path != null && WebUi.open(path))) {
                if (WebUi.handles(path)) {
                    web.refuse(ex); // a browser: the sign-in form
                    return;
                }
                // Basic: git and git-lfs then ask their credential helper (the token is the password)
                ex.getResponseHeaders().set("WWW-Authenticate", TokenAuth.CHALLENGE);
                error(ex, 401, "missing or wrong token: send it as 'Authorization: Bearer TOKEN' or as the Basic-auth password");
                return;
            }
            String raw = ex.getRequestURI().getRawPath();
            if (WebUi.handles(raw)) {
                web.handle(ex);
                return;
            }
            String repoPrefix = "/" + RequestPath.encode(name) + ".git/";
            if (raw != null && raw.startsWith(repoPrefix)) {
                String rest = raw.substring(repoPrefix.length());
                if (GitSmartHttp.handles(rest)) {
                    git.handle(ex, rest);
                } else if (rest.startsWith("info/lfs/")) {
                    lfs.handle(ex, rest.substring("info/lfs/".length()), repoPrefix.substring(0, repoPrefix.length() - 1));
                } else {
                    error(ex, 404, "no such resource; clone " + gitUri());
                }
                return;
            }
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                error(ex, 405, "only GET and HEAD are supported");
                return;
            }
            route(ex);
        } catch (IOException e) {
            log.debug("{} {}: {}", ex.getRequestMethod(), ex.getRequestURI().getRawPath(), e.toString());
        } catch (RuntimeException e) {
            log.warn("{} {} failed", ex.getRequestMethod(), ex.getRequestURI().getRawPath(), e);
        }
    }

    private void route(HttpExchange ex) throws IOException {
        List<String> s = RequestPath.segments(ex.getRequestURI().getRawPath());
        try {
            if (s != null && s.size() == 3 && s.get(0).equals("v1") && s.get(1).equals("objects")) {
                if (!LfsObjects.validOid(s.get(2)) || objects.size(s.get(2)) < 0) {
                    error(ex, 404, "no such object (a sha256 of 64 lowercase hex digits)");
                } else {
                    object(ex, s.get(2));
                }
            } else if (s != null && s.size() >= 5 && s.get(0).equals("v1") && s.get(1).equals("commits")
                    && s.get(3).equals("files")) {
                String path = RequestPath.filePath(s.subList(4, s.size()));
                if (path == null || !s.get(2).matches("[0-9a-f]{40}")) {
                    error(ex, 404, "not a commit id (40 lowercase hex digits) and file path");
                } else {
                    file(ex, repo.file(s.get(2), path), true);
                }
            } else if (s == null || s.size() < 2 || !s.get(0).equals("v1") || !s.get(1).equals("refs")) {
                error(ex, 404, "no such resource; see GET /v1/refs");
            } else if (s.size() == 2 || s.size() == 3 && s.get(2).isEmpty()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("refs", new BranchList(repo).call());
                json(ex, 200, doc);
            } else if (s.size() == 4 && s.get(3).equals("metrics")) {
                json(ex, 200, new BranchList(repo).call(s.get(2)));
            } else if (s.size() >= 5 && s.get(3).equals("files")) {
                String path = RequestPath.filePath(s.subList(4, s.size()));
                if (path == null) {
                    error(ex, 404, "not a file path in the repository");
                } else {
                    file(ex, repo.branchFile(s.get(2), path), false);
                }
            } else {
                error(ex, 404, "no such resource; see GET /v1/refs");
            }
        } catch (MlvException e) {
            boolean missing = e.kind() == ErrorKind.NOT_FOUND || e.kind() == ErrorKind.USAGE;
            if (missing) {
                error(ex, 404, "not found");
            } else if (e.kind() == ErrorKind.INTEGRITY) {
                log.warn("{}: {}", ex.getRequestURI().getRawPath(), e.getMessage());
                error(ex, 500, "the stored content failed its integrity check; run 'mlv fsck' on the server");
            } else {
                // the message may name server paths or remotes: it goes to the server's log only
                log.warn("{}: {}", ex.getRequestURI().getRawPath(), e.getMessage());
                error(ex, 500, "internal error; see the server's log");
            }
        }
    }

    private void file(HttpExchange ex, RepoFile f, boolean immutable) throws IOException, MlvException {
        var h = ex.getResponseHeaders();
        h.set("Cache-Control", immutable ? IMMUTABLE : "no-cache");
        h.set("X-Mlv-Commit", f.commit());
        if (!immutable) {
            h.set("Content-Location", "/v1/commits/" + f.commit() + "/files/" + RequestPath.encode(f.path()));
        }
        content(ex, f.oid(), f.size(), contentType(f.path()), new Content() {
            @Override
            public void check() throws MlvException {
                f.checkSize(); // before any header announces a length the content cannot deliver
            }

            @Override
            public InputStream open() throws MlvException {
                return f.open();
            }

            @Override
            public SeekableByteChannel channel() throws MlvException {
                // a file Git holds is streamed from its blob, never loaded whole into memory
                return f.large() ? f.openChannel() : null;
            }
        });
    }

    /** A large file by its sha256 alone: what Git LFS downloads. Its content never changes. */
    private void object(HttpExchange ex, String oid) throws IOException, MlvException {
        ex.getResponseHeaders().set("Cache-Control", IMMUTABLE);
        long size = objects.size(oid);
        content(ex, oid, size, "application/octet-stream", new Content() {
            @Override
            public void check() {
                // the size came from the stored manifest itself
            }

            @Override
            public InputStream open() throws MlvException {
                return objects.open(oid);
            }

            @Override
            public SeekableByteChannel channel() throws MlvException {
                return objects.openChannel(oid);
            }
        });
    }

    /** How {@link #content} reads what it sends. */
    private interface Content {
        void check() throws MlvException;

        InputStream open() throws MlvException;

        /** Random access, or null to read a range by skipping through {@link #open}. */
        SeekableByteChannel channel() throws MlvException;
    }

    /** Sends content whose identity is {@code oid}: ETag, If-None-Match, Range, If-Range, HEAD. */
    private static void content(HttpExchange ex, String oid, long size, String type, Content c) throws IOException, MlvException {
        var h = ex.getResponseHeaders();
        String etag = "\"" + oid + "\"";
        h.set("ETag", etag);
        h.set("Accept-Ranges", "bytes");
        if (matches(ex.getRequestHeaders().getFirst("If-None-Match"), etag)) {
            ex.sendResponseHeaders(304, -1);
            return;
        }
        c.check();
        h.set("Content-Type", type);
        String rangeHeader = ex.getRequestHeaders().getFirst("Range");
        String ifRange = ex.getRequestHeaders().getFirst("If-Range");
        if (rangeHeader != null && ifRange != null && !ifRange.strip().equals(etag)) {
            // The representation changed since the client's first part (or it sent a date, which a
            // branch file cannot honour): send it whole rather than splice two versions.
            rangeHeader = null;
        }
        ByteRange.Request range = ByteRange.parse(rangeHeader, size);
        if (range instanceof ByteRange.Unsatisfiable) {
            h.set("Content-Range", "bytes */" + size);
            error(ex, 416, "range not satisfiable; the file has " + size + " bytes");
        } else if (range instanceof ByteRange.Part part) {
            ByteRange r = part.range();
            h.set("Content-Range", "bytes " + r.first() + "-" + r.last() + "/" + size);
            if (isHead(ex)) {
                headers(ex, 206, r.length());
                return;
            }
            try (SeekableByteChannel ch = c.channel()) {
                if (ch != null) {
                    ex.sendResponseHeaders(206, r.length());
                    copy(ch.position(r.first()), r.length(), ex.getResponseBody());
                    return;
                }
            }
            try (InputStream in = c.open()) {
                in.skipNBytes(r.first());
                ex.sendResponseHeaders(206, r.length());
                copy(in, r.length(), ex.getResponseBody());
            }
        } else if (isHead(ex)) {
            headers(ex, 200, size); // HEAD: what a GET would send, without reading any content
        } else {
            try (InputStream in = c.open()) {
                ex.sendResponseHeaders(200, size == 0 ? -1 : size);
                in.transferTo(ex.getResponseBody()); // a stored file writes from its read buffers
            }
        }
    }

    private static boolean isHead(HttpExchange ex) {
        return ex.getRequestMethod().equals("HEAD");
    }

    /** Status and headers only; a HEAD response states the length a GET's body would have. */
    private static void headers(HttpExchange ex, int status, long length) throws IOException {
        ex.getResponseHeaders().set("Content-Length", Long.toString(length));
        ex.sendResponseHeaders(status, -1);
    }

    /** If-None-Match: a list of entity tags (weak ones compare by their opaque part), or *. */
    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals("*") || c.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static void copy(InputStream in, long length, OutputStream out) throws IOException {
        byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(1, length))];
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("content ended " + left + " bytes early");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void copy(SeekableByteChannel ch, long length, OutputStream out) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(1, length)));
        long left = length;
        while (left > 0) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), left));
            int n = ch.read(buf);
            if (n < 0) {
                throw new IOException("content ended " + left + " bytes early");
            }
            out.write(buf.array(), 0, n);
            left -= n;
        }
    }

    private static String contentType(String path) {
        String p = path.toLowerCase(java.util.Locale.ROOT);
        if (p.endsWith(".json")) {
            return "application/json";
        }
        if (p.endsWith(".csv")) {
            return "text/csv; charset=utf-8";
        }
        if (p.endsWith(".txt") || p.endsWith(".log") || p.endsWith(".md") || p.endsWith(".py")) {
            return "text/plain; charset=utf-8";
        }
        return "application/octet-stream";
    }

    private static void json(HttpExchange ex, int status, Object doc) throws IOException {
        byte[] body = Json.writeBytes(doc);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        if (isHead(ex)) {
            headers(ex, status, body.length);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("error", message);
        doc.put("status", status);
        byte[] body = (Json.write(doc) + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        if (isHead(ex)) {
            headers(ex, status, body.length);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }
}
