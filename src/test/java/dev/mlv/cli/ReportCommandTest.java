package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlv report}: the files it writes, their numbers against {@code metrics diff}, escaping, and -o rules. */
class ReportCommandTest {
    private static final String HOSTILE = "<script>alert(1)</script>";

    @TempDir
    Path dir;

    private ExpRepo repo;

    @BeforeEach
    void twoExperiments() throws IOException {
        repo = new ExpRepo(dir);
        repo.write(".mlv/config.json", "{\"version\": 1, \"gates\": {\"main\": {\"require\": [\"accuracy >= 0.9\"],"
                + " \"noRegress\": [\"loss\"]}}}");
        repo.write("params/params.json", "{\"lr\": 0.01, \"batch\": 32}");
        repo.write("metrics/train.jsonl", curve(0.9));
        repo.commitMetrics("{\"accuracy\": 0.90, \"loss\": 0.30, \"note\": \"base\"}\n", "baseline");
        repo.ok("exp", "new", "-q", "exp");
        repo.write("params/params.json", "{\"lr\": 0.001, \"batch\": 32}");
        repo.write("metrics/train.jsonl", curve(0.5) + "{\"step\": 5, \"" + HOSTILE + "\": 1}\nnot json\n");
        repo.commitMetrics("{\"accuracy\": 0.93, \"loss\": 0.35, \"" + HOSTILE + "\": 2}\n", "lower lr");
    }

    private static String curve(double scale) {
        StringBuilder b = new StringBuilder();
        for (int step = 0; step < 50; step++) {
            b.append("{\"step\": ").append(step * 10).append(", \"loss\": ").append(scale / (step + 1))
                    .append(", \"acc\": ").append(1 - scale / (step + 1)).append("}\n");
        }
        return b.toString();
    }

    /** The text table of {@code metrics diff A B}: one list of cells per row, header left out. */
    private List<List<String>> metricsDiffRows(String a, String b) {
        List<List<String>> rows = new ArrayList<>();
        String[] lines = repo.ok("metrics", "diff", a, b).stdout().split("\n");
        for (int i = 2; i < lines.length - 1; i++) {
            rows.add(List.of(lines[i].trim().split("\\s{2,}")));
        }
        return rows;
    }

    @Test
    void htmlParsesAndShowsWhatMetricsDiffShowsTheGatesParamsAndOneChartPerCurve() throws Exception {
        CliHarness.Result r = repo.ok("report", "main", "exp", "-o", "out/report.html");
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("mlv: warning: exp: metrics/train.jsonl:52: row is not valid JSON")
                .contains("wrote out/report.html (metrics: 1 better, 1 worse, 1 added, 1 removed; gates FAILED)");
        String html = Files.readString(dir.resolve("out/report.html"));
        Parser parser = Parser.htmlParser().setTrackErrors(20);
        Document doc = Jsoup.parse(html, "", parser);
        assertThat(parser.getErrors()).as("well-formed HTML").isEmpty();

        assertThat(doc.select("script")).as("nothing from the repository runs").isEmpty();
        assertThat(doc.text()).contains(HOSTILE);
        Element metrics = doc.select("table").get(0);
        List<List<String>> reportRows = new ArrayList<>();
        for (Element tr : metrics.select("tbody tr")) {
            List<String> cells = new ArrayList<>(tr.select("td").eachText());
            cells.removeIf(String::isEmpty);
            cells.set(cells.size() - 1, cells.get(cells.size() - 1).replaceFirst(" \\(.*", ""));
            reportRows.add(cells);
        }
        assertThat(reportRows).as("the same rows and numbers as metrics diff").isEqualTo(metricsDiffRows("main", "exp"));
        assertThat(metrics.select("tr.worse").text()).contains("loss");

        assertThat(doc.text()).contains("1 of 2 gates FAILED for exp against main (gates of 'main')");
        Element gates = doc.select("table").get(1);
        assertThat(gates.select("tr.pass").text()).contains("accuracy >= 0.9");
        assertThat(gates.select("tr.fail").text()).contains("loss");
        Element params = doc.select("table").get(2);
        assertThat(params.select("tbody tr")).hasSize(1);
        assertThat(params.select("tbody tr").text()).contains("lr").contains("0.01").contains("0.001").contains("CHANGED");

        List<Element> charts = doc.select("figure img");
        assertThat(charts).extracting(e -> e.attr("alt")).containsExactly("train." + HOSTILE, "train.acc", "train.loss");
        for (Element img : charts) {
            String src = img.attr("src");
            assertThat(src).startsWith("data:image/svg+xml;base64,");
            byte[] svg = Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1));
            DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
            xml.setNamespaceAware(true);
            xml.setFeature("http://apache.org/x" + "ml/features/disallow-doctype-decl", true);
            org.w3c.dom.Document chart = xml.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
            assertThat(chart.getDocumentElement().getLocalName()).isEqualTo("svg");
            String text = chart.getDocumentElement().getTextContent();
            assertThat(text).as("the title is the key").startsWith(img.attr("alt"));
            assertThat(text).as("the legend names the sides that have the key")
                    .contains("exp (").contains(img.attr("alt").contains("script") ? "" : "main (");
        }
    }

    @Test
    void markdownWritesEachChartAsAPngBesideItThenTheText() throws Exception {
        CliHarness.Result r = repo.ok("report", "main", "exp", "-o", "ci/pr report.md", "--json");
        JsonNode json = new ObjectMapper().readTree(r.stdout());
        assertThat(json.get("schema").asText()).isEqualTo("mlv.report/1");
        assertThat(json.get("format").asText()).isEqualTo("md");
        assertThat(json.get("gatesPassed").asBoolean()).isFalse();
        assertThat(json.get("images")).hasSize(3);
        assertThat(json.get("old").toString()).startsWith("{\"ref\":\"main\",\"commit\":\"");

        String md = Files.readString(dir.resolve("ci/pr report.md"));
        Path charts = dir.resolve("ci/pr_report_charts");
        assertThat(md).contains("![train.loss](pr_report_charts/03-train.loss.png)");
        for (JsonNode image : json.get("images")) {
            Path png = dir.resolve(image.asText());
            assertThat(png.getParent()).isEqualTo(charts);
            assertThat(md).contains("pr_report_charts/" + png.getFileName());
            assertThat(ImageIO.read(png.toFile())).as(png + " is a PNG").isNotNull()
                    .satisfies(i -> assertThat(i.getWidth()).isEqualTo(720));
        }
        List<String> loss = metricsDiffRows("main", "exp").stream().filter(row -> row.get(0).equals("loss")).findFirst().orElseThrow();
        assertThat(loss).as("metrics diff's numbers").containsExactly("loss", "0.3", "0.35", "+0.05", "+16.7%", "WORSE", "min");
        assertThat(md).contains("| loss | 0.3 | 0.35 | +0.05 | +16.7% | WORSE | min (default: name has 'loss') |");
        assertThat(md).as("HTML and table syntax from the repository are escaped")
                .contains("| &lt;script&gt;alert(1)&lt;/script&gt; |").contains("train.&lt;script&gt;").doesNotContain(HOSTILE);
    }

    @Test
    void defaultsCompareHeadsParentWithHeadAndDashWritesHtmlToStdout() throws IOException {
        repo.commitMetrics("{\"accuracy\": 0.95, \"loss\": 0.2}\n", "better");
        CliHarness.Result r = repo.ok("report");
        assertThat(r.stdout()).startsWith("<!DOCTYPE html>").contains("mlv report: HEAD~ (")
                .contains("<td>accuracy</td><td>0.93</td><td>0.95</td>");
        assertThat(r.stdout()).contains("No gates: none configured for &#39;HEAD~&#39;");
    }

    @Test
    void outputRulesAreThoseOfEveryOtherDashO() throws IOException {
        assertThat(repo.mlv.run("report", "main", "exp", "-o", "r.txt").exitCode()).isEqualTo(ExitCodes.USAGE);
        CliHarness.Result md = repo.mlv.run("report", "main", "exp", "--format", "md");
        assertThat(md.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(md.stderr()).contains("name a file with -o FILE.md");
        assertThat(repo.mlv.run("report", "--json").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(repo.mlv.run("report", "main", "nope", "-o", "r.html").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(dir.resolve("r.html")).as("nothing written on an error").doesNotExist();

        Files.writeString(dir.resolve("r.html"), "old");
        repo.ok("report", "main", "exp", "-o", "r.html");
        assertThat(Files.readString(dir.resolve("r.html"))).startsWith("<!DOCTYPE html>");
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("tmp"));
        }
        Files.createDirectories(dir.resolve("d.html"));
        assertThat(repo.mlv.run("report", "main", "exp", "-o", "d.html").exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
