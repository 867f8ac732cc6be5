package dev.mlv.core.promotion;

import dev.mlv.core.FileChange;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.Branches;
import dev.mlv.core.internal.Identity;
import dev.mlv.core.internal.RefMoves;
import dev.mlv.core.internal.Revisions;
import dev.mlv.core.promotion.internal.Promotions;
import dev.mlv.core.workspace.internal.TreeDiff;
import dev.mlv.core.workspace.internal.WorkTreeSync;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code mlv rollback DST [--to N|TAG|COMMIT]}: a new commit on DST whose tree is that of an
 * earlier promotion (default: the one before the current), tagged as a promotion. History is
 * never rewritten, so rolling back twice steps back twice.
 */
public final class Rollback {
    private final MlvRepository repo;
    private String to;

    public Rollback(MlvRepository repo) {
        this.repo = repo;
    }

    /** A promotion number, a {@code promote/DST/N} tag, or any commit. */
    public Rollback setTo(String to) {
        this.to = to;
        return this;
    }

    /** {@code restored} is the promotion number restored, or null for a plain commit. */
    public record Result(String target, String previousCommit, String commit, String tag, Integer restored,
                         String restoredCommit, List<FileChange> changes, boolean workTreeUpdated) {
    }

    public Result call(String dst) throws MlvException {
        Branches.checkName(dst);
        Repository git = repo.git();
        String dstRef = Branches.refName(dst);
        try (RevWalk walk = new RevWalk(git); ObjectInserter inserter = git.newObjectInserter()) {
            Ref ref = git.exactRef(dstRef);
            if (ref == null) {
                throw MlvException.notFound("branch '" + dst + "' not found");
            }
            RevCommit tip = walk.parseCommit(ref.getObjectId());
            List<Promotions.Promotion> promotions = Promotions.list(git, dst);
            Integer restored = null;
            RevCommit restore;
            if (to == null) {
                Promotions.Promotion p = previousPromotion(promotions, dst);
                restored = p.number();
                restore = walk.parseCommit(ObjectId.fromString(p.commit()));
            } else {
                Promotions.Promotion p = find(promotions, dst, to);
                if (p != null) {
                    restored = p.number();
                    restore = walk.parseCommit(ObjectId.fromString(p.commit()));
                } else if (to.matches("\\d{1,3}")) {
                    throw MlvException.notFound("no promotion #" + to + " into '" + dst + "'; " + (promotions.isEmpty()
                            ? "it has none yet" : "it has " + numbers(promotions)) + " (see 'mlv history " + dst + "')");
                } else {
                    restore = Revisions.commit(git, walk, to);
                }
            }
            if (restore.getTree().equals(tip.getTree())) {
                throw new MlvException("'" + dst + "' already has the files of " + (restored != null ? "promotion " + restored
                        : restore.abbreviate(12).name()) + "; nothing to roll back");
            }
            WorkTreeSync sync = WorkTreeSync.ifCheckedOut(repo, dstRef);
            sync.refuseIfDirty("roll back");
            sync.checkContent(walk.getObjectReader(), tip.getTree(), restore.getTree());

            String label = restored != null ? Promotions.tagName(dst, restored) : restore.name();
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(restore.getTree());
            commit.setParentId(tip);
            PersonIdent who = Identity.committer(repo.session(), git).at(repo.session(), repo.session().clock().instant());
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage("Roll back " + dst + " to " + label + "\n\nMlv-Rollback-To: " + label
                    + "\nMlv-Source-Commit: " + restore.name() + "\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            List<FileChange> changes = TreeDiff.between(repo, walk.getObjectReader(), tip.getTree(), restore.getTree());
            RefMoves.compareAndSwap(git, dstRef, tip, id, "rollback: " + dst + " to " + label);

            ObjectNode record = Promotions.newRecord("rollback", dst);
            if (restored != null) {
                record.put("restores", restored);
            }
            record.put("sourceCommit", restore.name());
            record.put("previousCommit", tip.name());
            record.put("commit", id.name());
            String tag = Promotions.tag(git, dst, id, "Roll back " + dst + " to " + label, record, who);
            boolean updated = sync.update(tip.getTree(), restore.getTree());
            return new Result(dst, tip.name(), id.name(), tag, restored, restore.name(), changes, updated);
        } catch (IOException e) {
            throw new MlvException("cannot roll back " + dst + ": " + e.getMessage(), e);
        }
    }

    /** "#1 to #7" or "#3", for messages. */
    private static String numbers(List<Promotions.Promotion> promotions) {
        int first = promotions.get(0).number();
        int last = promotions.get(promotions.size() - 1).number();
        return first == last ? "#" + first : "#" + first + " to #" + last;
    }

    /** The promotion before the current one, following earlier rollbacks back. */
    private static Promotions.Promotion previousPromotion(List<Promotions.Promotion> promotions, String dst) throws MlvException {
        if (promotions.isEmpty()) {
            throw MlvException.notFound("no promotions into '" + dst + "' yet; nothing to roll back to");
        }
        int current = promotions.get(promotions.size() - 1).effective();
        Promotions.Promotion best = null;
        for (Promotions.Promotion p : promotions) {
            if (p.kind().equals("promote") && p.number() < current) {
                best = p;
            }
        }
        if (best == null) {
            throw MlvException.notFound("'" + dst + "' is at its first promotion (" + Promotions.tagName(dst, current)
                    + "); there is no earlier one to roll back to");
        }
        return best;
    }

    private static Promotions.Promotion find(List<Promotions.Promotion> promotions, String dst, String to) {
        String number = to.startsWith("promote/" + dst + "/") ? to.substring(("promote/" + dst + "/").length()) : to;
        if (!number.matches("[0-9]{1,9}")) {
            return null;
        }
        int n = Integer.parseInt(number);
        return promotions.stream().filter(p -> p.number() == n).findFirst().orElse(null);
    }
}
