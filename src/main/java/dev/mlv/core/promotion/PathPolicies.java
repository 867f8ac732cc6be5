package dev.mlv.core.promotion;

import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.git.PolicyMerge;
import dev.mlv.glob.Glob;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Which side of a promotion each path takes: by default {@code models/ metrics/ logs/} take the
 * source's version and {@code monitoring/} keeps the destination's (what serving wrote there); {@code .mlv/config.json} → {@code merge}
 * maps {@link Glob.Dialect#PATH} globs to {@code source}, {@code target} or {@code merge}. The
 * longest matching configured glob wins over shorter ones and over the defaults.
 */
final class PathPolicies {
    static final String MONITORING = "monitoring/";

    private record Rule(Glob glob, PolicyMerge.Side side, boolean configured) {
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
            configured.add(new Rule(Glob.compile(Glob.Dialect.PATH, e.getKey()), side, true));
        }
        // longest pattern as written (wildcards count); a stable sort keeps the file's order on ties
        configured.sort(Comparator.comparingInt((Rule r) -> r.glob().pattern().length()).reversed());
        List<Rule> all = new ArrayList<>(configured);
        for (String dir : MlvConfig.DEFAULT_ARTIFACT_PATHS) {
            // monitoring belongs to the environment (what served there wrote), not to the candidate
            PolicyMerge.Side side = dir.equals(MONITORING) ? PolicyMerge.Side.TARGET : PolicyMerge.Side.SOURCE;
            all.add(new Rule(Glob.compile(Glob.Dialect.PATH, dir + "**"), side, false));
        }
        return new PathPolicies(List.copyOf(all));
    }

    /** Whether moving DST from one tree to another would change a path whose policy keeps DST's side. */
    boolean changesKeptPaths(org.eclipse.jgit.lib.ObjectReader reader, org.eclipse.jgit.lib.ObjectId from,
                             org.eclipse.jgit.lib.ObjectId to) throws java.io.IOException {
        try (org.eclipse.jgit.treewalk.TreeWalk tw = dev.mlv.core.workspace.internal.TreeDiff.walk(reader, from, to)) {
            while (tw.next()) {
                if (sideOf(tw.getPathString()) == PolicyMerge.Side.TARGET) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Each rule with the paths it decides where DST's tree ({@code null}: none yet) and SRC's
     * differ: what {@code promote --dry-run} shows before anything is merged.
     */
    List<PathPolicy> describe(org.eclipse.jgit.lib.ObjectReader reader, org.eclipse.jgit.lib.ObjectId dstTree,
                              org.eclipse.jgit.lib.ObjectId srcTree) throws java.io.IOException {
        List<List<String>> paths = new ArrayList<>();
        rules.forEach(r -> paths.add(new ArrayList<>()));
        if (dstTree != null) {
            try (org.eclipse.jgit.treewalk.TreeWalk tw = dev.mlv.core.workspace.internal.TreeDiff.walk(reader, dstTree, srcTree)) {
                while (tw.next()) {
                    int i = ruleOf(tw.getPathString());
                    if (i >= 0) {
                        paths.get(i).add(tw.getPathString());
                    }
                }
            }
        }
        List<PathPolicy> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            out.add(new PathPolicy(r.glob().pattern(), r.side().name().toLowerCase(Locale.ROOT), r.configured(),
                    List.copyOf(paths.get(i))));
        }
        return List.copyOf(out);
    }

    private int ruleOf(String path) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).glob().matches(path)) {
                return i;
            }
        }
        return -1;
    }

    PolicyMerge.Side sideOf(String path) {
        for (Rule r : rules) {
            if (r.glob().matches(path)) {
                return r.side();
            }
        }
        return PolicyMerge.Side.MERGE;
    }
}
