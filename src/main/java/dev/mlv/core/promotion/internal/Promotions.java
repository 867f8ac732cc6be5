package dev.mlv.core.promotion.internal;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.Json;
import dev.mlv.core.MlvException;
import dev.mlv.metrics.MetricValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The promotion record of a branch: annotated tags {@code promote/<branch>/<N>}, N counting up
 * from 1. A tag's message is one summary line (what {@code git tag -n} shows), a blank line, and
 * a JSON document (schema {@code mlv.promotion/2}) with the source, commits, metrics and gate
 * results; rollbacks are promotions too, with {@code "kind": "rollback"} and the N they restore.
 * Version 2 writes metric values as JSON numbers; version 1 (written before) had them as display
 * text, and {@link #metrics} reads both.
 */
public final class Promotions {
    public static final String PREFIX = "refs/tags/promote/";
    static final String SCHEMA = "mlv.promotion/2";
    private static final String SCHEMA_1 = "mlv.promotion/1";

    private Promotions() {
    }

    /** One promotion tag, parsed. {@code record} is the tag's JSON (empty object when unreadable). */
    public record Promotion(int number, String tag, String commit, String when, JsonNode record) {
        public String kind() {
            return record.path("kind").asText("promote");
        }

        /** For a rollback, the N it restored; for a promotion, its own N. */
        public int effective() {
            return kind().equals("rollback") ? record.path("restores").asInt(number) : number;
        }
    }

    public static String tagName(String branch, int n) {
        return "promote/" + branch + "/" + n;
    }

    /** The promotions into {@code branch}, oldest first. */
    public static List<Promotion> list(Repository git, String branch) throws IOException {
        String prefix = PREFIX + branch + "/";
        List<Promotion> out = new ArrayList<>();
        try (RevWalk walk = new RevWalk(git)) {
            for (Ref ref : git.getRefDatabase().getRefsByPrefix(prefix)) {
                int number = number(ref.getName(), branch);
                if (number < 0) {
                    continue; // promote/a/b/3 belongs to branch a/b, not to a
                }
                RevObject obj = walk.parseAny(ref.getObjectId());
                String message = "";
                String when = null;
                ObjectId commit = ref.getObjectId();
                if (obj instanceof RevTag tag) {
                    message = tag.getFullMessage();
                    commit = walk.peel(tag).getId();
                    if (tag.getTaggerIdent() != null) {
                        when = tag.getTaggerIdent().getWhenAsInstant().toString();
                    }
                }
                out.add(new Promotion(number, ref.getName().substring(Constants.R_TAGS.length()),
                        commit.name(), when, parseRecord(message)));
            }
        }
        out.sort(Comparator.comparingInt(Promotion::number));
        return out;
    }

    private static JsonNode parseRecord(String message) {
        int brace = message.indexOf('{');
        if (brace < 0) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            JsonNode node = Json.readTreeKeepingDigits(message.substring(brace));
            return node.isObject() ? node : JsonNodeFactory.instance.objectNode();
        } catch (JsonProcessingException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }

    /**
     * A record's {@code metrics}, as values: numbers in {@code mlv.promotion/2} (where a string
     * is a string metric, or NaN or an infinity), display text in {@code /1} (and in records
     * without a schema), read back as {@link MetricValue#parse} reads text.
     */
    public static Map<String, MetricValue> metrics(JsonNode record) {
        boolean textual = !record.path("schema").asText(SCHEMA_1).equals(SCHEMA);
        Map<String, MetricValue> metrics = new LinkedHashMap<>();
        record.path("metrics").fields().forEachRemaining(e -> metrics.put(e.getKey(), value(e.getValue(), textual)));
        return metrics;
    }

    private static MetricValue value(JsonNode node, boolean textual) {
        if (node.isNumber()) {
            return MetricValue.number(node.doubleValue(), node.asText());
        }
        if (node.isBoolean()) {
            return MetricValue.bool(node.booleanValue());
        }
        String text = node.asText();
        if (textual) {
            return MetricValue.parse(text);
        }
        MetricValue special = MetricValue.parse(text); // NaN and the infinities, which JSON has no literal for
        return special.isNumber() && !special.isFinite() ? special : MetricValue.string(text);
    }

    public static ObjectNode newRecord(String kind, String target) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("schema", SCHEMA);
        node.put("kind", kind);
        node.put("target", target);
        return node;
    }

    public static JsonNode toJson(Object value) {
        return Json.tree(value);
    }

    /** N of {@code refs/tags/promote/<branch>/<N>}, or -1 when the ref is not a promotion tag of that branch. */
    public static int number(String refName, String branch) {
        String prefix = PREFIX + branch + "/";
        if (!refName.startsWith(prefix)) {
            return -1;
        }
        String rest = refName.substring(prefix.length());
        return rest.matches("[1-9][0-9]{0,8}") ? Integer.parseInt(rest) : -1;
    }

    /** The next free N for {@code branch} among these ref names (a remote's, say): one above the highest. */
    public static int nextNumber(Iterable<String> refNames, String branch) {
        int max = 0;
        for (String name : refNames) {
            max = Math.max(max, number(name, branch));
        }
        return max + 1;
    }

    /** Writes the annotated tag object {@code promote/<branch>/<n>} (no ref) and returns its id. */
    public static ObjectId writeTag(Repository git, String branch, int n, ObjectId commit, String summary,
                                    ObjectNode record, PersonIdent tagger) throws IOException {
        record.put("number", n);
        TagBuilder tag = new TagBuilder();
        tag.setTag(tagName(branch, n));
        tag.setObjectId(commit, Constants.OBJ_COMMIT);
        tag.setTagger(tagger);
        tag.setMessage(summary + "\n\n" + Json.writeTree(record) + "\n");
        try (ObjectInserter inserter = git.newObjectInserter()) {
            ObjectId id = inserter.insert(tag);
            inserter.flush();
            return id;
        }
    }

    /**
     * Writes the tag object and creates its ref, taking the next free N. Called after the
     * branch has moved: a tag never names a commit its branch does not have.
     */
    public static String tag(Repository git, String branch, ObjectId commit, String summary, ObjectNode record,
                      PersonIdent tagger) throws IOException, MlvException {
        for (int attempt = 0; attempt < 10; attempt++) {
            List<Promotion> existing = list(git, branch);
            int n = existing.isEmpty() ? 1 : existing.get(existing.size() - 1).number() + 1;
            String name = tagName(branch, n);
            ObjectId tagId = writeTag(git, branch, n, commit, summary, record, tagger);
            RefUpdate update = git.updateRef(Constants.R_TAGS + name);
            update.setNewObjectId(tagId);
            update.setExpectedOldObjectId(ObjectId.zeroId());
            RefUpdate.Result result = update.update();
            if (result == RefUpdate.Result.NEW) {
                return name;
            }
            if (result != RefUpdate.Result.LOCK_FAILURE && result != RefUpdate.Result.REJECTED) {
                throw new MlvException("cannot create tag " + name + ": " + result);
            }
            // another promotion took N at the same moment: take the next one
        }
        throw new MlvException(ErrorKind.CONFLICT, "cannot create a promotion tag for '" + branch
                + "': too many concurrent promotions; run 'mlv history " + branch + "' and tag by hand if needed");
    }
}
