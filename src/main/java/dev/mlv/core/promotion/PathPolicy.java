package dev.mlv.core.promotion;

import java.util.List;

/**
 * What one path policy does in a promotion: its glob, the side it takes ({@code source}: SRC's
 * version, {@code target}: DST's is kept, {@code merge}: a three-way merge), whether it comes from
 * {@code .mlv/config.json} or is a default, and the paths where SRC and DST differ that it decides.
 */
public record PathPolicy(String pattern, String side, boolean configured, List<String> paths) {
}
