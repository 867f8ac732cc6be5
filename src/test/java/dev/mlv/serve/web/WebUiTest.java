package dev.mlv.serve.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.cli.CliHarness;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import dev.mlv.serve.MlvServer;
import dev.mlv.serve.ServeOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web view over plain HTTP: headers, escaping, sign-in, and what each page says (WebUiBrowserTest drives a browser). */
class WebUiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOKEN = "s3cret-token";

    @TempDir
    static Path root;
    static WebFixture fixture;
    static MlvRepository repo;
    static MlvServer open;
    static MlvServer locked;

    @BeforeAll
    static void setUp() throws Exception {
        fixture = new WebFixture(root);
        repo = MlvRepository.open(fixture.dir, new Session(Clock.systemUTC(), Map.of()));
        open = MlvServer.start(repo, ServeOptions.defaults());
        locked = MlvServer.start(repo, new ServeOptions(ServeOptions.LOOPBACK, 0, TOKEN, 4));
    }

    @AfterAll
    static void tearDown() {
        open.close();
        locked.close();
        repo.close();
    }

    static HttpResponse<String> get(MlvServer server, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(MlvServer server, String path, String form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.uri().resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pagesCarryTheContentSecurityPolicyAndEscapeWhatTheRepositoryHolds() throws Exception {
        for (String page : new String[] {"ui/", "ui/compare?b=main&b=exp-a", "ui/environments", "ui/ab", "ui/ab?test=t",
            "ui/files?ref=main"}) {
            HttpResponse<String> r = get(open, page);
            assertThat(r.statusCode()).as(page).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(page).contains("default-src 'self'");
            assertThat(r.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
            assertThat(r.body()).as(page).doesNotContain("<script>").doesNotContain(" style=").doesNotContain("<img");
        }
        String list = get(open, "ui/").body();
        // both hostile names are listed, as text
        assertThat(list).contains("&lt;img src=x onerror=alert(1)&gt;").contains("&lt;img/src=x/onerror=alert(2)&gt;")
                .doesNotContain("<img");
        assertThat(get(open, "").statusCode()).isEqualTo(303);
        HttpResponse<String> js = get(open, "ui/static/mlv.js");
        assertThat(js.headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
        String etag = js.headers().firstValue("ETag").orElseThrow();
        assertThat(get(open, "ui/static/mlv.js", "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(get(open, "ui/static/uPlot.iife.min.js").body()).contains("uPlot");
        assertThat(get(open, "ui/static/nothing.js").statusCode()).isEqualTo(404);
        assertThat(get(open, "ui/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void aTokenIsAskedForOnceAndTradedForAStrictHttpOnlyCookie() throws Exception {
        HttpResponse<String> refused = get(locked, "ui/?where=lr%3C0.02");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("<form method=\"post\" action=\"/ui/login\"").doesNotContain("exp-a");
        assertThat(get(locked, "ui/environments").body()).doesNotContain("prod");
        assertThat(get(locked, "v1/refs").statusCode()).isEqualTo(401);
        assertThat(get(locked, "ui/static/mlv.css").statusCode()).isEqualTo(200);

        HttpResponse<String> wrong = post(locked, "ui/login", "token=nope&next=%2Fui%2F");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> right = post(locked, "ui/login", "token=" + TOKEN + "&next=%2Fui%2Fenvironments");
        assertThat(right.statusCode()).isEqualTo(303);
        assertThat(right.headers().firstValue("Location")).contains("/ui/environments");
        String cookie = right.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/").doesNotContain(TOKEN);
        String session = cookie.substring(0, cookie.indexOf(';'));
        assertThat(get(locked, "ui/environments", "Cookie", session).body()).contains("data-env=\"prod\"");
        assertThat(get(locked, "v1/refs", "Cookie", session).statusCode()).isEqualTo(200);
        // the cookie reads; it never writes (the LFS upload API is a POST)
        HttpResponse<String> upload = HTTP.send(HttpRequest.newBuilder(locked.gitUri().resolve("p.git/info/lfs/objects/batch"))
                .header("Cookie", session).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).isEqualTo(401);
        assertThat(get(locked, "ui/", "Cookie", "mlv_session=forged").statusCode()).isEqualTo(401);
        // the sign-in never sends the browser to another site
        HttpResponse<String> away = post(locked, "ui/login", "token=" + TOKEN + "&next=%2F%2Fevil.example%2F");
        assertThat(away.headers().firstValue("Location")).contains("/ui/");
        assertThat(away.headers().firstValue("Location").orElseThrow()).doesNotContain("evil");
        // a Bearer token still works for scripts
        assertThat(get(locked, "ui/", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void pagesShowWhatTheCommandsShow() throws Exception {
        String compare = get(open, "ui/compare?b=main&b=exp-a").body();
        // the model's first half is unchanged: 256 KiB or so of exp-a's version is in main's chunks
        assertThat(compare).contains("models/model.bin").contains("<tr class=\"changed\"><td>lr</td>")
                .contains("<tr class=\"same\"><td>batch</td>").containsPattern("shared|KiB \\(\\d+%\\)");
        String env = get(open, "ui/environments").body();
        assertThat(env).containsSubsequence("data-number=\"4\"", "data-number=\"3\"", "data-number=\"2\"", "data-number=\"1\"")
                .contains("✓ accuracy &gt;= 0.85").contains("rollback to #2");
        String ab = get(open, "ui/ab?test=t").body();
        assertThat(ab).contains("data-arm=\"A\"").contains("data-arm=\"B\"").contains("p = 0.04442");
        String files = get(open, "ui/files?ref=exp-a&path=models").body();
        assertThat(files).containsPattern("href=\"/v1/commits/[0-9a-f]{40}/files/models/model.bin\"").contains("512.0 KiB");
        assertThat(get(open, "ui/files?ref=main~1").statusCode()).isEqualTo(404);
        assertThat(get(open, "ui/compare?b=main&b=nope").statusCode()).isEqualTo(404);
        assertThat(get(open, "ui/?where=lr%3C%3C1").body()).contains("class=\"error\"");
        assertThat(get(open, "ui/?where=lr%3C0.02").body()).contains("data-branch=\"main\"").doesNotContain("data-branch=\"exp-a\"");
    }

    @Test
    void monitoringListsEachRecordCommitWithItsRowsAndMeanMarkedWithThePromotions(@TempDir Path tmp) throws Exception {
        String hostile = "<script>alert(3)</script>";
        assertThat(new CliHarness(tmp).run("init", "m").exitCode()).isZero();
        Path dir = tmp.resolve("m");
        CliHarness mlv = new CliHarness(dir);
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/model.txt"), "v1");
        assertThat(mlv.run("train-commit", "-m", "v1").exitCode()).isZero();
        assertThat(mlv.run("promote", "main", "prod", "--create").exitCode()).isZero();
        Path rows = tmp.resolve("rows.csv");
        // record 1: score 1, 3 (mean 2); record 2: 4, 5, 6 (mean 5); promotion #2; record 3: 10
        for (String batch : new String[] {"1,true\n3,false\n", "4,true\n5,true\n6,false\n", "promote", "10,true\n"}) {
            if (batch.equals("promote")) {
                assertThat(mlv.run("switch", "--create", "exp").exitCode()).isZero();
                Files.writeString(dir.resolve("models/model.txt"), "v2");
                assertThat(mlv.run("train-commit", "-m", "v2").exitCode()).isZero();
                CliHarness.Result promoted = mlv.run("promote", "exp", "prod");
                assertThat(promoted.exitCode()).as(promoted.toString()).isZero();
                continue;
            }
            Files.writeString(rows, "score,\"" + hostile + "\"\n" + batch);
            CliHarness.Result r = mlv.run("record", "prod", rows.toString(), "--append-to", "monitoring/live.csv");
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
        try (MlvRepository r = MlvRepository.open(dir, new Session(Clock.systemUTC(), Map.of()));
             MlvServer server = MlvServer.start(r, ServeOptions.defaults())) {
            String page = get(server, "ui/monitoring").body();
            assertThat(page).contains("<a href=\"/ui/monitoring\" class=\"active\">Monitoring</a>")
                    .contains("<strong>monitoring/live.csv</strong>");
            // newest first: rows, mean of score, the promotion each came after
            assertThat(page).containsPattern("<td>append</td><td class=\"num\">1</td><td class=\"num\">10</td><td>promotion #2</td>")
                    .containsPattern("<td>append</td><td class=\"num\">3</td><td class=\"num\">5</td><td>promotion #1</td>")
                    .containsPattern("<td>append</td><td class=\"num\">2</td><td class=\"num\">2</td><td>promotion #1</td>")
                    .containsSubsequence(">10<", ">5<", ">2<");
            // the chart: the means oldest first, promotion #2 marked (#1 is before the first point)
            assertThat(page.replaceAll("\\s+", "")).contains("&quot;ys&quot;:[[2.0,5.0,10.0]]").contains("&quot;label&quot;:&quot;#2&quot;")
                    .doesNotContain("&quot;label&quot;:&quot;#1&quot;");
            // the hostile column is offered as text and chosen by name
            assertThat(page).doesNotContain("<script>alert").contains("&lt;script&gt;alert(3)&lt;/script&gt;");
            String chosen = get(server, "ui/monitoring?env=prod&column=" + java.net.URLEncoder.encode(hostile, java.nio.charset.StandardCharsets.UTF_8)).body();
            assertThat(chosen).doesNotContain("<script>alert").contains("mean of &lt;script&gt;alert(3)&lt;/script&gt;")
                    .containsPattern("<td class=\"num\">1</td><td class=\"num\">1</td><td>promotion #2</td>")
                    .containsPattern("<td class=\"num\">3</td><td class=\"num\">0.6667</td>");
            assertThat(get(server, "ui/monitoring?env=prod&file=nope.csv").body()).contains("No record commit of nope.csv");
            assertThat(get(server, "ui/monitoring?env=prod&file=..%2Fx.csv").statusCode()).isEqualTo(404);
        }
    }
}
