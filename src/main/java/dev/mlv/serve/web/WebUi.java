package dev.mlv.serve.web;

import com.sun.net.httpserver.HttpExchange;
import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web view under {@code /ui/} (docs/ui.md). Pages are rendered on the server from core's
 * operations; charts and table sorting are {@code /ui/static/mlv.js} with uPlot, both served from
 * the jar; chart data travels in {@code data-chart} attributes, so no page has an inline script
 * or style and every response can carry {@code Content-Security-Policy: default-src 'self'}.
 * Read-only: the one POST is the sign-in form.
 */
public final class WebUi {
    private static final Logger log = LoggerFactory.getLogger(WebUi.class);
    static final String CSP = "default-src 'self'";
    private static final int MAX_FORM = 8 << 10;

    private final String repository;
    private final SignIn signIn;
    private final ExperimentsPage experiments;
    private final ComparePage compare;
    private final EnvironmentsPage environments;
    private final MonitoringPage monitoring;
    private final AbPage ab;
    private final FilesPage files;
    private final Map<String, Asset> assets = new ConcurrentHashMap<>();

    /**
     * @param repository the name pages show
     * @param tokenCheck whether a presented token is the server's; null when serve has no token
     */
    public WebUi(MlvRepository repo, String repository, Predicate<String> tokenCheck) {
        this.repository = repository;
        this.signIn = tokenCheck == null ? null : new SignIn(tokenCheck);
        this.experiments = new ExperimentsPage(repo);
        this.compare = new ComparePage(repo, experiments);
        this.environments = new EnvironmentsPage(repo, experiments);
        this.monitoring = new MonitoringPage(repo, experiments);
        this.ab = new AbPage(repo);
        this.files = new FilesPage(repo);
    }

    /** Whether a raw request path is the web view's: {@code /} (which leads to it) and {@code /ui...}. */
    public static boolean handles(String rawPath) {
        return rawPath != null && (rawPath.equals("/") || rawPath.equals("/ui") || rawPath.startsWith("/ui/"));
    }

    /** Paths served without a token: the sign-in form and the static files (no repository data). */
    public static boolean open(String rawPath) {
        return rawPath.equals("/ui/login") || rawPath.startsWith("/ui/static/");
    }

    /** Whether the request carries this server's sign-in cookie (GET and HEAD only). */
    public boolean signedIn(HttpExchange ex) {
        return signIn != null && signIn.admits(ex);
    }

    /** Answers a request without the token: 401 with the sign-in form. */
    public void refuse(HttpExchange ex) throws IOException {
        String raw = ex.getRequestURI().getRawPath();
        String next = raw.startsWith("/ui") ? ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()) : "/ui/";
        html(ex, 401, loginPage(next, false));
    }

    /** Serves one request of the web view ({@link #handles} said yes). */
    public void handle(HttpExchange ex) throws IOException {
        String raw = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        if (raw.equals("/ui/login") && method.equals("POST")) {
            login(ex);
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            html(ex, 405, message("Method not allowed", "The web view is read-only."));
            return;
        }
        if (raw.equals("/") || raw.equals("/ui")) {
            redirect(ex, "/ui/");
            return;
        }
        if (raw.startsWith("/ui/static/")) {
            asset(ex, raw.substring("/ui/static/".length()));
            return;
        }
        Query q = Query.parse(ex.getRequestURI().getRawQuery());
        if (q == null) {
            html(ex, 400, message("Bad request", "The query string has a malformed escape."));
            return;
        }
        try {
            String page = switch (raw) {
                case "/ui/" -> experiments.render(q, repository);
                case "/ui/compare" -> compare.render(q, repository);
                case "/ui/environments" -> environments.render(q, repository);
                case "/ui/monitoring" -> monitoring.render(q, repository);
                case "/ui/ab" -> ab.render(q, repository);
                case "/ui/files" -> files.render(q, repository);
                case "/ui/login" -> signIn == null ? null : loginPage(q.first("next", "/ui/"), false);
                default -> null;
            };
            if (page == null) {
                if (raw.equals("/ui/login")) {
                    redirect(ex, "/ui/");
                } else {
                    html(ex, 404, message("Not found", "No such page."));
                }
                return;
            }
            html(ex, 200, page);
        } catch (MlvException e) {
            if (e.kind() == ErrorKind.NOT_FOUND || e.kind() == ErrorKind.USAGE) {
                html(ex, 404, message("Not found", e.getMessage()));
            } else {
                // the message may name server paths or remotes: it goes to the server's log only
                log.warn("{}: {}", raw, e.getMessage());
                html(ex, 500, message("Error", "Internal error; see the server's log."));
            }
        }
    }

    private String message(String title, String text) {
        return Html.page(title, "message", repository).raw("<h1>").text(title).raw("</h1><p class=\"message\">").text(text)
                .raw("</p>").finish();
    }

    private String loginPage(String next, boolean wrong) {
        Html h = Html.page("Sign in", "login", repository).raw("<h1>Sign in</h1>");
        if (wrong) {
            h.raw("<p class=\"error\" id=\"login-error\">That is not the server's token.</p>");
        }
        return h.raw("<p>This server requires its token (the content of <code>mlv serve --token-file</code>'s file).</p>")
                .raw("<form method=\"post\" action=\"/ui/login\" class=\"login\"><input type=\"hidden\" name=\"next\" value=\"")
                .text(safeNext(next)).raw("\"><label>Token <input type=\"password\" name=\"token\" id=\"token\" autocomplete=\"current-password\" required></label> ")
                .raw("<button type=\"submit\" id=\"sign-in\">Sign in</button></form>").finish();
    }

    private void login(HttpExchange ex) throws IOException {
        if (signIn == null) {
            redirect(ex, "/ui/");
            return;
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_FORM + 1);
        }
        Query form = body.length > MAX_FORM ? null : Query.parse(new String(body, StandardCharsets.UTF_8));
        if (form == null) {
            html(ex, 400, message("Bad request", "The form is malformed or too large."));
            return;
        }
        String next = safeNext(form.first("next", "/ui/"));
        if (!signIn.tokenIsRight(form.first("token", null))) {
            html(ex, 401, loginPage(next, true));
            return;
        }
        ex.getResponseHeaders().add("Set-Cookie", signIn.cookie());
        redirect(ex, next);
    }

    /** Only a path of the web view itself: never another host or a header-splitting value. */
    private static String safeNext(String next) {
        boolean ok = next != null && next.startsWith("/ui") && !next.startsWith("//") && next.chars().allMatch(c -> c > 0x20 && c < 0x7f)
                && next.indexOf('\\') < 0;
        return ok ? next : "/ui/";
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        security(ex);
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(303, -1);
    }

    /** Headers on every web view response. */
    private static void security(HttpExchange ex) {
        var h = ex.getResponseHeaders();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
    }

    private static void html(HttpExchange ex, int status, String page) throws IOException {
        security(ex);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        send(ex, status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Length", Long.toString(body.length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        ex.getResponseBody().write(body);
    }

    /** A static file from the jar, with its content hash as ETag. */
    private record Asset(byte[] bytes, String type, String etag) {
    }

    private void asset(HttpExchange ex, String name) throws IOException {
        Asset a = assets.computeIfAbsent(name, WebUi::load);
        security(ex);
        if (a.bytes() == null) {
            send(ex, 404, "text/plain; charset=utf-8", "no such file\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        ex.getResponseHeaders().set("ETag", a.etag());
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        String inm = ex.getRequestHeaders().getFirst("If-None-Match");
        if (a.etag().equals(inm)) {
            ex.sendResponseHeaders(304, -1);
            return;
        }
        send(ex, 200, a.type(), a.bytes());
    }

    private static Asset load(String name) {
        String path = switch (name) {
            case "mlv.js", "mlv.css" -> "/dev/mlv/serve/web/" + name;
            case "uPlot.iife.min.js", "uPlot.min.css" -> "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/" + name;
            default -> null;
        };
        String type = name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        if (path == null) {
            return new Asset(null, type, null);
        }
        try (InputStream in = WebUi.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + path);
            }
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16) + "\"";
            return new Asset(bytes, type, etag);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String uplotVersion() {
        Properties p = new Properties();
        try (InputStream in = WebUi.class.getResourceAsStream("/dev/mlv/serve/web/webjars.properties")) {
            p.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the jar lacks dev/mlv/serve/web/webjars.properties", e);
        }
        return p.getProperty("uplot");
    }
}
