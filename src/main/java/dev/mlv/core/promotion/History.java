package dev.mlv.core.promotion;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.experiment.MetricCell;
import dev.mlv.core.internal.Branches;
import dev.mlv.core.promotion.internal.Promotions;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code mlv history DST}: the promotions into a branch, newest first. */
public final class History {
    private final MlvRepository repo;

    public History(MlvRepository repo) {
        this.repo = repo;
    }

    /**
     * One promotion or rollback. {@code restores} is set for rollbacks to a promotion;
     * {@code gates} are the gates the promotion passed (or was forced past), as recorded.
     */
    public record Entry(int number, String tag, String kind, String when, String source, String sourceCommit, String commit,
                        Integer restores, Map<String, MetricCell> metrics, List<Gate> gates,
                        @com.fasterxml.jackson.annotation.JsonInclude(
                                com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String message) {
    }

    /** A gate as the promotion's record holds it: the rule, the values seen (as text; null when absent), the outcome. */
    public record Gate(String metric, String rule, String src, String dst, boolean passed, String reason) {
    }

    public record Result(String target, List<Entry> promotions) {
    }

    public Result call(String dst) throws MlvException {
        Branches.checkName(dst);
        try {
            List<Promotions.Promotion> list = Promotions.list(repo.git(), dst);
            if (list.isEmpty() && repo.git().exactRef(Branches.refName(dst)) == null) {
                throw MlvException.notFound("branch '" + dst + "' not found and no promotions into it");
            }
            List<Entry> entries = new ArrayList<>();
            for (int i = list.size() - 1; i >= 0; i--) {
                Promotions.Promotion p = list.get(i);
                JsonNode r = p.record();
                Map<String, MetricCell> metrics = MetricCell.map(Promotions.metrics(r));
                entries.add(new Entry(p.number(), p.tag(), p.kind(), p.when(), text(r, "source"), text(r, "sourceCommit"),
                        p.commit(), r.has("restores") ? r.get("restores").asInt() : null, metrics, gates(r), text(r, "message")));
            }
            return new Result(dst, entries);
        } catch (IOException e) {
            throw new MlvException("cannot read the promotions into " + dst + ": " + e.getMessage(), e);
        }
    }

    private static List<Gate> gates(JsonNode record) {
        List<Gate> gates = new ArrayList<>();
        for (JsonNode g : record.path("gates")) {
            gates.add(new Gate(text(g, "metric"), text(g, "rule"), text(g, "src"), text(g, "dst"), g.path("passed").asBoolean(),
                    text(g, "reason")));
        }
        return gates;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
