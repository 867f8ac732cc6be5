package dev.mlv.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * mlv's one JSON setup: how it writes every JSON document ({@code --json} output, {@code mlv serve}'s
 * answers, run records, promotion records, A/B tests, export manifests, {@code .mlv/config.json})
 * and reads its own records back. Written JSON is indented by Jackson's default pretty printer:
 * two spaces, {@code "key" : value}, {@code [ ]} for an empty array (the files under
 * {@code src/test/resources/golden/json} hold it byte for byte). Reading into a record ignores
 * properties the record lacks, so files from a newer mlv stay readable.
 *
 * <p>The {@code ObjectMapper} is built on first use, not when this class loads: building one costs
 * a command ~75 ms, which commands that print no JSON do not pay. Reading {@code .mlv/config.json},
 * which nearly every command does first, needs no mapper ({@code core.internal.JsonTrees}). The
 * mapper stays private, so no caller can reconfigure what all share.
 */
public final class Json {
    private Json() {
    }

    /** The mapper, built by the JVM (once, thread-safely) when first used. */
    private static final class Mapper {
        // A tree keeps a number's digits (0.90 stays 0.90): metric values go through trees on their
        // way into promotion records and --json documents.
        static final ObjectMapper INSTANCE = new ObjectMapper()
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** {@code value} (a record, list, map or tree) as JSON text, without a final newline. */
    public static String write(Object value) throws JsonProcessingException {
        return Mapper.INSTANCE.writeValueAsString(value);
    }

    /** {@link #write} encoded in UTF-8. */
    public static byte[] writeBytes(Object value) throws JsonProcessingException {
        return Mapper.INSTANCE.writeValueAsBytes(value);
    }

    /** A tree as JSON text, without a final newline. A tree always serialises, so this does not throw. */
    public static String writeTree(JsonNode tree) {
        try {
            return Mapper.INSTANCE.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write a JSON tree: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code value} as the tree it would be written as. */
    public static JsonNode tree(Object value) {
        return Mapper.INSTANCE.valueToTree(value);
    }

    /** JSON text as a record of {@code type}; properties the record lacks are ignored. */
    public static <T> T read(byte[] json, Class<T> type) throws IOException {
        return Mapper.INSTANCE.readValue(json, type);
    }

    /** JSON text as a tree (a missing node when there is no content). */
    public static JsonNode readTree(byte[] json) throws IOException {
        return Mapper.INSTANCE.readTree(json);
    }

    /** JSON text as a tree (a missing node when there is no content). */
    public static JsonNode readTree(String json) throws JsonProcessingException {
        return Mapper.INSTANCE.readTree(json);
    }

    /**
     * JSON text as a tree whose decimal numbers keep their digits ({@code 0.90} stays
     * {@code 0.90}, not the double 0.9): for records holding metric values.
     */
    public static JsonNode readTreeKeepingDigits(String json) throws JsonProcessingException {
        return Mapper.INSTANCE.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(json);
    }
}
