package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class ByteSizeConverterTest {
    @ParameterizedTest
    @CsvSource({"0, 0", "4096, 4096", "10b, 10", "1K, 1024", "512M, 536870912", "512MiB, 536870912", "4g, 4294967296",
        "4 GB, 4294967296", "1T, 1099511627776", " 2G , 2147483648"})
    void readsBinaryUnits(String text, long expected) {
        assertThat(new ByteSizeConverter().convert(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "G", "-1G", "1.5G", "4X", "1P", "99999999999999T"})
    void refusesOtherText(String text) {
        assertThatThrownBy(() -> new ByteSizeConverter().convert(text)).isInstanceOf(TypeConversionException.class);
    }
}
