package dev.mlv.cli;

import java.util.Locale;

/** Byte counts for people (1023 B, 1.5 KiB, 64.0 MiB, 1.00 GiB), and counts of things (1 file, 2 files). */
final class Sizes {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB"};

    private Sizes() {
    }

    /** {@code n} and the noun, plural unless {@code n} is 1: "1 file", "3 files". */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value < 10 ? "%.2f %s" : "%.1f %s", value, UNITS[unit]);
    }
}
