package dev.mlv.core.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.git.PolicyMerge.Side;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The path glob dialect and the precedence of {@code merge} rules in {@code .mlv/config.json}. */
class PathPoliciesTest {
    private static PathPolicies policies(String mergeJson) throws MlvException {
        return PathPolicies.from(MlvConfig.parse(("{\"merge\": " + mergeJson + "}").getBytes(StandardCharsets.UTF_8), "test"));
    }

    /**
     * Pinned: segments split on '/'; {@code *} and {@code ?} stay in one segment, {@code **} any
     * run of characters; a pattern without '/' matches at any depth, one with '/' from the root;
     * brackets and the rest literal; case-sensitive, whole path.
     */
    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
        "*.txt, a.txt, true",
        "*.txt, dir/a.txt, true",
        "*.txt, dir/sub/a.txt, true",
        "*.txt, a.txt.bak, false",
        "a.txt, dir/a.txt, true",
        "a.txt, xa.txt, false",
        "*, a/b, true",
        "conf/*.yaml, conf/a.yaml, true",
        "conf/*.yaml, conf/sub/a.yaml, false",
        "conf/*.yaml, x/conf/a.yaml, false",
        "conf/**, conf/a/b, true",
        "conf/**, conf, false",
        "conf/**, confx/a, false",
        "**/x.txt, a/x.txt, true",
        "**/x.txt, a/b/x.txt, true",
        "**/x.txt, x.txt, false",
        "**.txt, a/b.txt, true",
        "a/***, a/b/c, true",
        "?.txt, a.txt, true",
        "?.txt, ab.txt, false",
        "?.txt, d/a.txt, true",
        "d?r/x, d/r/x, false",
        "conf/?, conf/a, true",
        "*.TXT, a.txt, false",
        "[ab].txt, a.txt, false",
        "[ab].txt, [ab].txt, true",
        "a+b/*, a+b/c, true",
        "a+b/*, aab/c, false",
        "/a.txt, a.txt, false",
        "dir/, dir/a, false",
    })
    void pathGlobDialect(String glob, String path, boolean matches) throws Exception {
        PathPolicies p = policies("{\"" + glob + "\": \"target\"}");

        assertThat(p.sideOf(path)).isEqualTo(matches ? Side.TARGET : Side.MERGE);
    }

    @Test
    void artifactDirectoriesTakeTheSourceAndMonitoringKeepsTheTargetByDefaultFromTheRootOnly() throws Exception {
        PathPolicies p = policies("{}");

        assertThat(p.sideOf("models/m.pt")).isEqualTo(Side.SOURCE);
        assertThat(p.sideOf("metrics/a/b.json")).isEqualTo(Side.SOURCE);
        assertThat(p.sideOf("logs/x")).isEqualTo(Side.SOURCE);
        assertThat(p.sideOf("monitoring/x")).isEqualTo(Side.TARGET); // what serving wrote stays with the environment
        assertThat(p.sideOf("src/models/m.pt")).isEqualTo(Side.MERGE);
        assertThat(p.sideOf("src/monitoring/x")).isEqualTo(Side.MERGE);
        assertThat(p.sideOf("models")).isEqualTo(Side.MERGE);
        assertThat(p.sideOf("train.py")).isEqualTo(Side.MERGE);
    }

    @Test
    void longestConfiguredGlobWinsCountingWildcards() throws Exception {
        PathPolicies p = policies("{\"conf/**\": \"source\", \"conf/a.*\": \"target\", \"**/*.yaml\": \"merge\"}");

        assertThat(p.sideOf("conf/a.yaml")).as("'**/*.yaml' is 9 characters").isEqualTo(Side.MERGE);
        assertThat(p.sideOf("conf/a.json")).as("'conf/a.*' is 8").isEqualTo(Side.TARGET);
        assertThat(p.sideOf("conf/b.json")).isEqualTo(Side.SOURCE);
    }

    @Test
    void equalLengthsKeepTheOrderOfTheFile() throws Exception {
        assertThat(policies("{\"a*\": \"source\", \"*a\": \"target\"}").sideOf("aa")).isEqualTo(Side.SOURCE);
        assertThat(policies("{\"*a\": \"target\", \"a*\": \"source\"}").sideOf("aa")).isEqualTo(Side.TARGET);
    }

    @Test
    void anyConfiguredGlobBeatsTheDefaults() throws Exception {
        assertThat(policies("{\"*\": \"target\"}").sideOf("models/m.pt")).isEqualTo(Side.TARGET);
        assertThat(policies("{\"models/readme.md\": \"merge\"}").sideOf("models/readme.md")).isEqualTo(Side.MERGE);
    }

    @Test
    void sidesAreCaseInsensitiveAndAnythingElseIsAnError() throws Exception {
        assertThat(policies("{\"x\": \"TARGET\"}").sideOf("x")).isEqualTo(Side.TARGET);
        assertThatThrownBy(() -> policies("{\"x\": \"theirs\"}"))
                .isInstanceOf(MlvException.class)
                .hasMessage(".mlv/config.json merge.x is 'theirs'; use source, target or merge");
    }
}
