package dev.mlv.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Every byte-size option's syntax: a whole number with a binary unit, {@code 512M} or
 * {@code 512MiB}, {@code 4G}, {@code 1T} ({@code K}, {@code M}, {@code G}, {@code T}, each 1024
 * times the last, with or without {@code iB}, any case), or a bare number of bytes. How small is too
 * small is the option's own rule.
 */
final class ByteSizeConverter implements ITypeConverter<Long> {
    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("([0-9]+)\\s*([kmgt]i?b?|b)?");

    @Override
    public Long convert(String value) {
        Matcher m = NUMBER_AND_UNIT.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a size; use 512M, 4G, 1T (binary units) or a number of bytes");
        }
        String unit = m.group(2) == null ? "b" : m.group(2);
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is too large a size");
        }
    }
}
