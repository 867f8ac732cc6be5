package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parameters ({@code params/*.json}) end to end: {@code exp list} columns, {@code --where},
 * {@code --sort}, {@code exp show} and {@code params diff}.
 */
class ParamsCommandsTest {
    @TempDir
    Path dir;

    private ExpRepo repo;

    /**
     * main: lr 0.01, batch size 64, optimizer adam, model.depth 4 (params/model.json);
     * fast: lr 0.001, batch size 32; bad: params/params.json malformed; fast checked out.
     */
    @BeforeEach
    void threeBranches() throws IOException {
        repo = new ExpRepo(dir);
        repo.write("params/params.json", "{\"lr\": 0.010, \"batch size\": 64, \"optimizer\": \"adam\"}\n");
        repo.write("params/model.json", "{\"depth\": 4}\n");
        repo.commitMetrics("{\"accuracy\": 0.90, \"loss\": 0.30}\n", "baseline");
        repo.ok("exp", "new", "-q", "bad");
        repo.write("params/params.json", "{\"lr\": 0.5,\n");
        repo.commitMetrics("{\"accuracy\": 0.99, \"loss\": 0.1}\n", "train bad");
        repo.ok("exp", "new", "-q", "fast", "--from", "main");
        repo.write("params/params.json", "{\"lr\": 1e-3, \"batch size\": 32, \"optimizer\": \"adam\"}\n");
        repo.commitMetrics("{\"accuracy\": 0.95, \"loss\": 0.35}\n", "train fast");
    }

    private JsonNode json(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--json"));
        all.addAll(List.of(args));
        return new ObjectMapper().readTree(repo.ok(all.toArray(String[]::new)).stdout());
    }

    private static List<String> names(JsonNode doc) {
        List<String> names = new ArrayList<>();
        doc.get("branches").forEach(b -> names.add(b.get("name").asText()));
        return names;
    }

    @Test
    void listShowsFlattenedParamsAsNumbersAndKeepsABranchWithMalformedParams() throws IOException {
        JsonNode doc = json("exp", "list");
        assertThat(doc.get("paramColumns").toString()).isEqualTo("[\"batch size\",\"lr\",\"model.depth\",\"optimizer\"]");
        JsonNode main = doc.get("branches").get(2);
        assertThat(main.get("name").asText()).isEqualTo("main");
        assertThat(main.get("params").get("lr").isNumber()).isTrue();
        assertThat(main.get("params").get("lr").decimalValue()).isEqualByComparingTo("0.01");
        assertThat(repo.ok("exp", "list", "--json").stdout()).contains("\"lr\" : 0.010"); // the digits of the file
        assertThat(main.get("params").get("model.depth").asInt()).isEqualTo(4);
        assertThat(main.get("params").get("optimizer").asText()).isEqualTo("adam");
        JsonNode bad = doc.get("branches").get(1);
        assertThat(bad.get("name").asText()).isEqualTo("bad");
        assertThat(bad.get("paramsError").asText()).contains("params/params.json is not valid JSON");
        assertThat(bad.get("error").isNull()).isTrue();
        assertThat(bad.get("metrics").get("accuracy").decimalValue()).isEqualByComparingTo("0.99");

        CliHarness.Result text = repo.ok("exp", "list");
        assertThat(text.stdout()).contains("params.lr").contains("params.batch size").contains("0.01").contains("0.001");
        assertThat(text.stdout().lines().filter(l -> l.contains("bad"))).singleElement().asString().startsWith("!");
        assertThat(text.stderr().lines().filter(l -> l.contains("params/params.json"))).singleElement().asString()
                .startsWith("mlv: warning: branch 'bad': params/params.json is not valid JSON");
        assertThat(repo.ok("exp", "list", "--csv").stdout().lines().findFirst().orElseThrow())
                .isEqualTo("branch,current,environment,commit,date,author,accuracy,loss,params.batch size,params.lr,"
                        + "params.model.depth,params.optimizer,error");
        assertThat(repo.ok("exp", "list", "--params", "lr").stdout()).contains("params.lr").doesNotContain("params.optimizer");
    }

    @Test
    void whereFiltersOnParamsAndMetricsWithTheGateSyntax() throws IOException {
        assertThat(names(json("exp", "list", "--where", "lr<0.01"))).containsExactly("fast");
        assertThat(names(json("exp", "list", "--where", "params.lr <= 0.01"))).containsExactly("fast", "main");
        assertThat(names(json("exp", "list", "--where", "accuracy>=0.95"))).containsExactly("fast", "bad");
        assertThat(names(json("exp", "list", "--where", "accuracy>=0.95", "--where", "lr<0.01"))).containsExactly("fast");
        assertThat(names(json("exp", "list", "--where", "params.model.depth==4"))).containsExactly("fast", "main");
        JsonNode doc = json("exp", "list", "--where", "lr<0.01");
        assertThat(doc.get("where").toString()).isEqualTo("[\"lr<0.01\"]");
    }

    @Test
    void keysNeedingQuotesAreQuotedInWhere() throws IOException {
        assertThat(names(json("exp", "list", "--where", "\"batch size\"<64"))).containsExactly("fast");
        assertThat(names(json("exp", "list", "--where", "\"params.batch size\" >= 64"))).containsExactly("main");
        CliHarness.Result unquoted = repo.mlv.run("exp", "list", "--where", "batch size<64");
        assertThat(unquoted.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unquoted.stderr()).contains("put the name in double quotes");
    }

    @Test
    void aTypoInWhereNamesTheClosestKeyAndTheKnownOnes() {
        CliHarness.Result r = repo.mlv.run("exp", "list", "--where", "lrr<0.01");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr().lines()).singleElement().asString()
                .contains("no listed branch has a metric or parameter 'lrr'")
                .contains("did you mean 'params.lr'?")
                .contains("known keys: accuracy, loss, \"params.batch size\", params.lr, params.model.depth, params.optimizer");
        CliHarness.Result syntax = repo.mlv.run("exp", "list", "--where", "lr=0.01");
        assertThat(syntax.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(syntax.stderr()).contains("'=' is not an operator, use '=='");
    }

    @Test
    void sortByAParamIsAscendingWithRowsWithoutItLast() throws IOException {
        assertThat(names(json("exp", "list", "--sort", "lr"))).containsExactly("fast", "main", "bad");
        assertThat(names(json("exp", "list", "--sort", "params.batch size"))).containsExactly("fast", "main", "bad");
        assertThat(names(json("exp", "list", "--sort", "accuracy"))).containsExactly("bad", "fast", "main");
    }

    @Test
    void aBareKeyIsTheMetricWhenOneExistsAndParamsPrefixNamesTheParameter() throws IOException {
        repo.write("params/params.json", "{\"lr\": 1e-3, \"accuracy\": 0.5}\n");
        repo.commitMetrics("{\"accuracy\": 0.95, \"loss\": 0.35}\n", "a parameter named like a metric");
        assertThat(names(json("exp", "list", "--where", "accuracy>0.9"))).containsExactly("fast", "bad");
        assertThat(names(json("exp", "list", "--where", "params.accuracy<0.9"))).containsExactly("fast");
    }

    @Test
    void showListsParamsWithTheirOrigin() throws IOException {
        String text = repo.ok("exp", "show", "main").stdout();
        assertThat(text).contains("params\n").containsPattern("  model\\.depth +4").containsPattern("  lr +0\\.01\n");
        JsonNode doc = json("exp", "show", "main");
        assertThat(doc.get("params").get(1).get("key").asText()).isEqualTo("lr");
        assertThat(doc.get("params").get(1).get("value").isNumber()).isTrue();
        assertThat(doc.get("params").get(1).get("origin").asText()).isEqualTo("params/params.json at /lr");
        assertThat(doc.get("paramsError").isNull()).isTrue();
        assertThat(json("exp", "show", "bad").get("paramsError").asText()).contains("params/params.json is not valid JSON");
    }

    @Test
    void paramsDiffComparesKeyByKeyWithoutDirections() throws IOException {
        JsonNode doc = json("params", "diff", "main", "fast");
        assertThat(doc.get("schema").asText()).isEqualTo("mlv.params.diff/1");
        assertThat(doc.get("params").findValuesAsText("key"))
                .containsExactly("batch size", "lr", "model.depth", "optimizer");
        assertThat(doc.get("params").findValuesAsText("status")).containsExactly("CHANGED", "CHANGED", "SAME", "SAME");
        JsonNode lr = doc.get("params").get(1);
        assertThat(lr.get("old").decimalValue()).isEqualByComparingTo("0.01");
        assertThat(lr.get("new").isNumber()).isTrue();
        assertThat(lr.has("direction")).isFalse();
        assertThat(doc.get("counts").get("CHANGED").asInt()).isEqualTo(2);
        assertThat(doc.get("counts").has("BETTER")).isFalse();

        String text = repo.ok("params", "diff", "--only-changed", "main", "fast").stdout();
        assertThat(text).contains("batch size").contains("lr").doesNotContain("optimizer").doesNotContain("DIRECTION")
                .contains("2 changed");
        CliHarness.Result bad = repo.mlv.run("params", "diff", "main", "bad");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(bad.stderr()).contains("cannot read the parameters of 'bad'");
    }
}
