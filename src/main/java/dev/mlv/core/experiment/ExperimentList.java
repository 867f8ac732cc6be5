package dev.mlv.core.experiment;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.CommitMetrics;
import dev.mlv.core.internal.Revisions;
import dev.mlv.core.workspace.internal.Trailers;
import dev.mlv.glob.Glob;
import dev.mlv.metrics.Direction;
import dev.mlv.metrics.Directions;
import dev.mlv.metrics.MetricValue;
import dev.mlv.metrics.Metrics;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code mlv exp list}: every local branch with its tip commit, metrics and parameters, read from
 * the tips' trees without checking anything out. One object reader for all branches; metrics and
 * parameters cached by their tree (see {@link CommitMetrics}). A branch whose metrics or
 * parameters cannot be read gets a row with the reason, not an error. {@code --where} and
 * {@code --sort} name values as {@link ListKeys} says.
 */
public final class ExperimentList {
    /** Sort keys that are not metrics; a metric of the same name wins. */
    public static final List<String> BUILTIN_SORT_KEYS = List.of("name", "age");

    private final MlvRepository repo;
    private String sort;
    private List<String> filters = List.of();
    private List<String> columns = List.of();
    private List<String> paramColumns = List.of();
    private List<String> where = List.of();
    private Cache cache;

    public ExperimentList(MlvRepository repo) {
        this.repo = repo;
    }

    /**
     * Sort by a metric (better first by its direction; rows without it last), {@code name}, or
     * {@code age} (newest first). Null: the current branch first, then by name.
     */
    public ExperimentList setSort(String sort) {
        this.sort = sort;
        return this;
    }

    /**
     * Only branches whose name matches one of these {@link Glob.Dialect#BRANCH} globs ({@code *}
     * any characters, {@code /} included; {@code ?} one).
     */
    public ExperimentList setFilters(List<String> globs) {
        this.filters = List.copyOf(globs);
        return this;
    }

    /** The metric keys to report; empty for every key any listed branch has. */
    public ExperimentList setColumns(List<String> keys) {
        this.columns = List.copyOf(keys);
        return this;
    }

    /** The parameter keys to report (without {@code params.}); empty for every key any listed branch has. */
    public ExperimentList setParamColumns(List<String> keys) {
        this.paramColumns = List.copyOf(keys);
        return this;
    }

    /**
     * Only branches where every expression holds: {@code promote --require} syntax
     * ({@code lr<0.01}, {@code params.lr<0.01}, {@code accuracy>=0.9}, {@code "batch size"<=64}).
     * A branch without the value, or whose file cannot be read, does not match.
     */
    public ExperimentList setWhere(List<String> expressions) {
        this.where = List.copyOf(expressions);
        return this;
    }

    /**
     * Keeps what a listing reads from each tip commit (the commit, its metrics and parameters)
     * by commit id, across listings: a server that lists the same branches again reads only the
     * tips that moved. A commit's trees never change, so an entry never goes stale; the least
     * recently used are dropped beyond the capacity. Safe to share between threads.
     */
    public static final class Cache {
        private final Map<ObjectId, Scanned> byCommit;

        /** Holds up to {@code capacity} commits. */
        public Cache(int capacity) {
            this.byCommit = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ObjectId, Scanned> eldest) {
                    return size() > capacity;
                }
            });
        }

        /** How many commits it holds. */
        public int size() {
            return byCommit.size();
        }
    }

    /** Reuse (and fill) this cache of tip commits; by default each call reads every tip. */
    public ExperimentList setCache(Cache cache) {
        this.cache = cache;
        return this;
    }

    /** A metric column: its key and direction, and the best value among the rows (null if none is a number). */
    public record Column(String key, String direction, String directionRule, MetricCell best) {
    }

    /**
     * One branch.
     *
     * @param ageSeconds seconds from the commit time to the session clock's now
     * @param metrics the row's values of the result's columns (absent keys left out)
     * @param best the columns where this row holds the best value
     * @param error why the metrics could not be read, or null
     * @param data the data commit recorded by the tip's Mlv-Data trailer, or null
     * @param params the row's values of the parameter columns (absent keys left out)
     * @param paramsError why the parameters could not be read, or null
     */
    public record Row(String branch, boolean current, boolean environment, String commit, String shortCommit,
                      String date, long ageSeconds, String author, String authorEmail, String subject,
                      Map<String, MetricCell> metrics, Set<String> best, String error, String data,
                      Map<String, MetricCell> params, String paramsError) {
    }

    /**
     * The listing. {@code sort} is the key used ({@code null} for the default order);
     * {@code paramColumns} the parameter keys (without {@code params.}); {@code unreadable}
     * every branch, listed or left out by {@code --where}, whose metrics or parameters cannot be
     * read, with the reason.
     */
    public record Result(String currentBranch, List<String> environments, String sort, List<Column> columns,
                         List<Row> rows, List<String> paramColumns, List<String> where, List<String> unreadable) {
    }

    private record Scanned(String name, RevCommit commit, CommitMetrics.Outcome metrics,
                           CommitMetrics.Outcome params) {
        Metrics metricValues() {
            return metrics.metrics();
        }

        Scanned named(String branch) {
            return branch.equals(name) ? this : new Scanned(branch, commit, metrics, params);
        }
    }

    public Result call() throws MlvException {
        Repository git = repo.git();
        Directions directions = MetricKey.directions(repo);
        List<String> environments = repo.config().environments();
        List<Glob> patterns = filters.stream().map(f -> Glob.compile(Glob.Dialect.BRANCH, f)).toList();
        List<Scanned> scanned = new ArrayList<>();
        String current;
        try (ObjectReader reader = git.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            String head = git.getFullBranch();
            current = head != null && head.startsWith(Constants.R_HEADS) ? Repository.shortenRefName(head) : null;
            CommitMetrics metrics = new CommitMetrics(reader);
            CommitMetrics params = CommitMetrics.params(reader);
            for (Ref ref : git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                String name = ref.getName().substring(Constants.R_HEADS.length());
                if (!patterns.isEmpty() && patterns.stream().noneMatch(p -> p.matches(name))) {
                    continue;
                }
                if (ref.getObjectId() == null) {
                    continue;
                }
                Scanned tip = cache == null ? null : cache.byCommit.get(ref.getObjectId());
                if (tip == null) {
                    RevCommit commit = walk.parseCommit(ref.getObjectId());
                    tip = new Scanned(name, commit, metrics.of(commit), params.of(commit));
                    if (cache != null) {
                        cache.byCommit.put(commit.copy(), tip);
                    }
                }
                scanned.add(tip.named(name));
            }
        } catch (IOException e) {
            throw new MlvException("cannot read the branches: " + e.getMessage(), e);
        }

        TreeSet<String> present = new TreeSet<>();
        scanned.forEach(s -> present.addAll(s.metrics().metrics().keys()));
        TreeSet<String> presentParams = new TreeSet<>();
        scanned.forEach(s -> presentParams.addAll(s.params().metrics().keys()));
        List<String> keys = columns.isEmpty() ? List.copyOf(present) : columns;
        List<String> paramKeys = paramColumns.isEmpty() ? List.copyOf(presentParams) : paramColumns;
        ListKeys names = new ListKeys(present, presentParams);
        ListKeys.Ref sortRef = null;
        List<String> unreadable = new ArrayList<>();
        for (Scanned s : scanned) {
            if (s.metrics().error() != null) {
                unreadable.add("'" + s.name() + "': " + s.metrics().error());
            }
            if (s.params().error() != null) {
                unreadable.add("'" + s.name() + "': " + s.params().error());
            }
        }
        if (!scanned.isEmpty()) {
            for (String key : paramColumns) {
                if (!presentParams.contains(key)) {
                    throw MlvException.usage("no listed branch has a parameter '" + key + "' for --params; known keys: "
                            + known(presentParams, false));
                }
            }
            List<ListKeys.Where> conditions = names.where(where);
            scanned.removeIf(s -> !conditions.stream().allMatch(w -> w.accepts(s.metricValues(), s.params().metrics(),
                    directions)));
            sortRef = sort == null ? null : names.resolve(sort);
            if (sortRef != null && sortRef.param() && BUILTIN_SORT_KEYS.contains(sort)) {
                sortRef = null; // a bare 'name' or 'age' is the built-in key; params.name is the parameter
            }
            for (String key : columns) {
                if (!present.contains(key)) {
                    throw MlvException.usage("no listed branch has a metric '" + key + "' for --columns; known keys: "
                            + known(present, false));
                }
            }
            if (sort != null && sortRef == null && !BUILTIN_SORT_KEYS.contains(sort)) {
                throw MlvException.usage("cannot sort by '" + sort + "': " + names.unknown(sort, BUILTIN_SORT_KEYS));
            }
        }

        Map<String, MetricValue> best = new LinkedHashMap<>();
        List<Column> cols = new ArrayList<>();
        for (String key : keys) {
            Direction direction = directions.directionOf(key);
            MetricValue top = null;
            for (Scanned s : scanned) {
                MetricValue v = s.metrics().metrics().get(key).orElse(null);
                if (v != null && v.isNumber() && !Double.isNaN(v.asDouble())
                        && (top == null || direction.improves(top.asDouble(), v.asDouble()))) {
                    top = v;
                }
            }
            if (top != null) {
                best.put(key, top);
            }
            MetricKey k = MetricKey.of(key, directions);
            cols.add(new Column(key, k.direction(), k.directionRule(), MetricCell.of(top)));
        }

        Instant now = repo.session().clock().instant();
        List<Scanned> ordered = new ArrayList<>(scanned);
        ordered.sort(order(current, directions, sortRef));
        List<Row> rows = new ArrayList<>(ordered.size());
        for (Scanned s : ordered) {
            rows.add(row(s, keys, paramKeys, best, current, environments, now));
        }
        return new Result(current, environments, sort, List.copyOf(cols), List.copyOf(rows), List.copyOf(paramKeys),
                where, List.copyOf(unreadable));
    }

    private static Row row(Scanned s, List<String> keys, List<String> paramKeys, Map<String, MetricValue> best,
                           String current, List<String> environments, Instant now) {
        Map<String, MetricCell> values = new LinkedHashMap<>();
        Set<String> bestHere = new HashSet<>();
        for (String key : keys) {
            MetricValue v = s.metrics().metrics().get(key).orElse(null);
            if (v != null) {
                values.put(key, MetricCell.of(v));
                MetricValue top = best.get(key);
                if (top != null && v.isNumber() && v.asDouble() == top.asDouble()) {
                    bestHere.add(key);
                }
            }
        }
        Map<String, MetricCell> params = new LinkedHashMap<>();
        for (String key : paramKeys) {
            s.params().metrics().get(key).ifPresent(v -> params.put(key, MetricCell.of(v)));
        }
        RevCommit c = s.commit();
        PersonIdent author = c.getAuthorIdent();
        Instant when = Instant.ofEpochSecond(c.getCommitTime());
        return new Row(s.name(), s.name().equals(current), environments.contains(s.name()), c.name(),
                Revisions.abbreviate(c), when.toString(), now.getEpochSecond() - when.getEpochSecond(),
                author.getName(), author.getEmailAddress(), c.getShortMessage(), values,
                Set.copyOf(new TreeSet<>(bestHere)), s.metrics().error(), Trailers.dataCommit(c), params,
                s.params().error());
    }

    private Comparator<Scanned> order(String current, Directions directions, ListKeys.Ref sortRef) {
        Comparator<Scanned> byName = Comparator.comparing(Scanned::name);
        if (sort == null) {
            return Comparator.comparing((Scanned s) -> !s.name().equals(current)).thenComparing(byName);
        }
        if (sortRef != null && sortRef.param()) {
            return paramOrder(sortRef.key()).thenComparing(byName);
        }
        if (sortRef != null) {
            Direction direction = directions.directionOf(sort);
            return Comparator.comparingDouble((Scanned s) -> sortValue(s, direction)).thenComparing(byName);
        }
        if (sort.equals("age")) {
            return Comparator.comparingLong((Scanned s) -> -(long) s.commit().getCommitTime()).thenComparing(byName);
        }
        return byName;
    }

    /** Parameters have no direction: numbers ascending, then strings and booleans by text, then rows without it. */
    private static Comparator<Scanned> paramOrder(String key) {
        Comparator<MetricValue> byValue = Comparator.comparingInt((MetricValue v) -> v.isNumber() && !Double.isNaN(v.asDouble()) ? 0 : 1)
                .thenComparingDouble(v -> v.isNumber() && !Double.isNaN(v.asDouble()) ? v.asDouble() : 0)
                .thenComparing(MetricValue::text);
        return Comparator.comparing((Scanned s) -> s.params().metrics().get(key).orElse(null),
                Comparator.nullsLast(byValue));
    }

    /** Smaller sorts first: better values first, rows without a number last. */
    private double sortValue(Scanned s, Direction direction) {
        MetricValue v = s.metrics().metrics().get(sort).orElse(null);
        if (v == null || !v.isNumber() || Double.isNaN(v.asDouble())) {
            return Double.POSITIVE_INFINITY;
        }
        return direction == Direction.MAX ? -v.asDouble() : v.asDouble();
    }

    private static String known(Set<String> keys, boolean withBuiltins) {
        List<String> all = new ArrayList<>(withBuiltins ? BUILTIN_SORT_KEYS : List.of());
        all.addAll(keys);
        return all.isEmpty() ? "(none)" : String.join(", ", all);
    }
}
