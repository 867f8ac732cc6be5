package dev.mlv.glob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.glob.Glob.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The dialects side by side: the same pattern and text, matched as a path, a branch name and a
 * metric key. Each user's own rules are pinned where they are used (PathPoliciesTest,
 * ExperimentListTest, DirectionsTest).
 */
class GlobTest {
    @ParameterizedTest(name = "{0} ~ {1}: path {2}, branch {3}, metric key {4}")
    @CsvSource({
        // '*' stops at the dialect's separator: '/' for paths, '.' for metric keys, nothing for branches
        "a*, a/b, false, true, true",
        "a*, a.b, true, true, false",
        "a/*, a/b/c, false, true, true",
        "a.*, a.b.c, true, true, false",
        "a?b, a/b, false, true, true",
        "a?b, a.b, true, true, false",
        // '**' crosses in every dialect
        "a**, a/b.c, true, true, true",
        "a/**, a/b/c.d, true, true, true",
        // only a path pattern without '/' matches a name at any depth
        "a*, x/ab, true, false, false",
        "b.txt, x/b.txt, true, false, false",
        "x/b.txt, y/x/b.txt, false, false, false",
        // whole text, literal brackets, case-sensitive, in every dialect
        "a, ab, false, false, false",
        "[a], a, false, false, false",
        "[a], [a], true, true, true",
        "A*, ab, false, false, false",
        "**/x, x, false, false, false",
        "*, '', true, true, true",
    })
    void dialectsDifferOnlyInWhereSegmentsEnd(String pattern, String text, boolean path, boolean branch, boolean metricKey) {
        assertThat(Glob.compile(Dialect.PATH, pattern).matches(text)).as("path").isEqualTo(path);
        assertThat(Glob.compile(Dialect.BRANCH, pattern).matches(text)).as("branch").isEqualTo(branch);
        assertThat(Glob.compile(Dialect.METRIC_KEY, pattern).matches(text)).as("metric key").isEqualTo(metricKey);
    }

    @Test
    void aNewlineIsAnOrdinaryCharacter() {
        for (Dialect d : Dialect.values()) {
            assertThat(Glob.compile(d, "models/**").matches("models/a\nb")).as(d.name()).isTrue();
            assertThat(Glob.compile(d, "a?b").matches("a\nb")).as(d.name()).isTrue();
        }
    }

    @Test
    void literalCharactersCountEverythingButWildcards() {
        assertThat(Glob.compile(Dialect.METRIC_KEY, "eval.*").literalChars()).isEqualTo(5);
        assertThat(Glob.compile(Dialect.METRIC_KEY, "**.loss").literalChars()).isEqualTo(5);
        assertThat(Glob.compile(Dialect.METRIC_KEY, "a?c").literalChars()).isEqualTo(2);
        assertThat(Glob.compile(Dialect.PATH, "***").literalChars()).isZero();
        assertThat(Glob.compile(Dialect.BRANCH, "main").literalChars()).isEqualTo(4);
    }

    @Test
    void onlyStarAndQuestionMarkAreWildcards() {
        assertThat(Glob.hasWildcards("eval.*")).isTrue();
        assertThat(Glob.hasWildcards("p?")).isTrue();
        assertThat(Glob.hasWildcards("[ab]")).isFalse();
        assertThat(Glob.hasWildcards("eval.loss")).isFalse();
    }

    @Test
    void keepsThePatternAsWritten() {
        Glob g = Glob.compile(Dialect.PATH, "models/**");

        assertThat(g.pattern()).isEqualTo("models/**");
        assertThat(g.dialect()).isEqualTo(Dialect.PATH);
    }
}
