package dev.mlv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTreesTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void buildsTheTreeObjectMapperWould() throws Exception {
        String doc = "{\"version\": 1, \"environments\": [\"prod\", \"dev\"], \"metrics\": {\"directions\": {\"loss\": \"min\"}},"
                + " \"big\": 12345678901234, \"huge\": 123456789012345678901234567890, \"f\": 0.25, \"t\": true,"
                + " \"n\": null, \"e\": [], \"o\": {}, \"u\": \"\\u00fc\\n\"}";
        assertThat(JsonTrees.parse(utf8(doc))).isEqualTo(new ObjectMapper().readTree(doc));
        assertThat(JsonTrees.parse(utf8("")).isMissingNode()).isTrue();
    }

    @Test
    void rejectsMalformedTextWithItsLocationTrailingContentAndDeepNesting() {
        assertThatThrownBy(() -> JsonTrees.parse(utf8("{\"a\": 1,\n}")))
                .isInstanceOf(JsonProcessingException.class)
                .satisfies(e -> assertThat(((JsonProcessingException) e).getLocation().getLineNr()).isEqualTo(2));
        assertThatThrownBy(() -> JsonTrees.parse(utf8("{\"a\": 1} {\"b\": 2}"))).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("content after the JSON document");
        assertThatThrownBy(() -> JsonTrees.parse(utf8("[".repeat(100) + "]".repeat(100))))
                .isInstanceOf(JsonProcessingException.class);
    }
}
