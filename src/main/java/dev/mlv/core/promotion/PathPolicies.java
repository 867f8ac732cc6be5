package dev.mlv.core.promotion;

import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.git.PolicyMerge;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which side of a promotion each path takes: artifact paths ({@code models/ metrics/ logs/
 * monitoring/}) take the source's version by default; {@code .mlv/config.json} → {@code merge}
 * maps globs to {@code source}, {@code target} or {@code merge}. The longest matching configured
 * glob wins over shorter ones and over the defaults.
 */
final class PathPolicies {
    private record Rule(String glob, Pattern pattern, PolicyMerge.Side side) {
    }

    private final List<Rule> rules;

    private PathPolicies(List<Rule> rules) {
        this.rules = rules;
    }

    static PathPolicies from(MlvConfig config) throws MlvException {
        List<Rule> configured = new ArrayList<>();
        var fields = config.section("merge").fields();
        while (fields.hasNext()) {
            var e = fields.next();
            PolicyMerge.Side side = switch (e.getValue().asText().toLowerCase(Locale.ROOT)) {
                case "source" -> PolicyMerge.Side.SOURCE;
                case "target" -> PolicyMerge.Side.TARGET;
                case "merge" -> PolicyMerge.Side.MERGE;
                default -> throw new MlvException(".mlv/config.json merge." + e.getKey() + " is '" + e.getValue().asText()
                        + "'; use source, target or merge");
            };
            configured.add(new Rule(e.getKey(), glob(e.getKey()), side));
        }
        configured.sort(Comparator.comparingInt((Rule r) -> r.glob().length()).reversed());
        List<Rule> all = new ArrayList<>(configured);
        for (String dir : MlvConfig.DEFAULT_ARTIFACT_PATHS) {
            all.add(new Rule(dir + "**", glob(dir + "**"), PolicyMerge.Side.SOURCE));
        }
        return new PathPolicies(List.copyOf(all));
    }

    PolicyMerge.Side sideOf(String path) {
        for (Rule r : rules) {
            if (r.pattern().matcher(path).matches()) {
                return r.side();
            }
        }
        return PolicyMerge.Side.MERGE;
    }

    /** {@code **} any run of characters, {@code *} and {@code ?} within one path segment; a pattern without '/' matches names. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        if (!glob.contains("/")) {
            re.append("(?:.*/)?");
        }
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
