package dev.mlv.serve.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import dev.mlv.serve.MlvServer;
import dev.mlv.serve.ServeOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
}
