package dev.mlv.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.store.GoldenFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The golden {@code .mlv/config.json} in {@code src/test/resources/golden/format/repo/} (see the
 * README.md there): the bytes {@code mlv init} writes. Today's reader must read them and today's
 * writer must write them again byte for byte. It lives apart from the store fixture tests because
 * it needs {@link MlvConfig}, a {@code dev.mlv.core} class.
 *
 * <p>Regenerate with the other fixtures:
 * {@code ./mvnw -B -q test -Dtest='*FormatGoldenTest' -Dmlv.regenerateGolden=true}.
 */
class MlvConfigFormatGoldenTest {
    private static final String FILE = "repo/" + MlvConfig.PATH;

    @Test
    @DisabledIfSystemProperty(named = GoldenFixtures.REGENERATE, matches = "true")
    void todaysReaderReadsTheDefaultsInitWrites() throws IOException, MlvException {
        MlvConfig config = MlvConfig.parse(fixture(), FILE);

        assertThat(config.environments()).containsExactly("prod", "dev");
        assertThat(config.metricDirections()).isEmpty();
        assertThat(config.recordedEnv()).isEmpty();
        assertThat(config.section("version").asInt()).isEqualTo(MlvConfig.FORMAT_VERSION);
        assertThat(config.section("gates").isObject()).isTrue();
        assertThat(config.section("gates").isEmpty()).isTrue();
    }

    @Test
    @DisabledIfSystemProperty(named = GoldenFixtures.REGENERATE, matches = "true")
    void todaysWriterWritesTheSameBytes() throws IOException, MlvException {
        byte[] fixture = fixture();

        GoldenFixtures.assertSameBytes("init's defaults", fixture, MlvConfig.defaults().toBytes());
        GoldenFixtures.assertSameBytes("read, then written back", fixture, MlvConfig.parse(fixture, FILE).toBytes());
    }

    @Test
    @EnabledIfSystemProperty(named = GoldenFixtures.REGENERATE, matches = "true")
    void regenerate() throws IOException {
        Path target = GoldenFixtures.SOURCE.resolve(FILE);
        Files.createDirectories(target.getParent());
        Files.write(target, MlvConfig.defaults().toBytes());
    }

    private static byte[] fixture() throws IOException {
        return Files.readAllBytes(GoldenFixtures.root().resolve(FILE));
    }
}
