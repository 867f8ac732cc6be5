package dev.mlv.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one JSON setup: the written format, and reading records that a newer mlv extended. */
class JsonTest {
    record Sample(String name, List<String> tags, Map<String, Object> extra, Double score) {
    }

    @Test
    void writesIndentedWithSpacedColonsAndNoFinalNewline() throws IOException {
        Sample s = new Sample("a", List.of(), Map.of("k", List.of(1, 2)), null);
        String expected = "{\n  \"name\" : \"a\",\n  \"tags\" : [ ],\n  \"extra\" : {\n    \"k\" : [ 1, 2 ]\n  },\n"
                + "  \"score\" : null\n}";
        assertThat(Json.write(s)).isEqualTo(expected);
        assertThat(Json.writeBytes(s)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
        assertThat(Json.writeTree(Json.tree(s))).isEqualTo(expected);
    }

    @Test
    void readingARecordIgnoresPropertiesItLacks() throws IOException {
        // ab.json and logs/run.json written by a newer mlv may carry fields this one does not know
        byte[] newer = "{\"name\": \"a\", \"tags\": [\"x\"], \"addedLater\": {\"n\": 1}}".getBytes(StandardCharsets.UTF_8);
        assertThat(Json.read(newer, Sample.class)).isEqualTo(new Sample("a", List.of("x"), null, null));
    }
}
