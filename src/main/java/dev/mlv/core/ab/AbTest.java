package dev.mlv.core.ab;

import java.util.List;

/**
 * An A/B test as recorded in Git: the file {@code ab.json} in the commit that
 * {@code refs/mlv/ab/NAME} points to; each change (create, conclude) is a new commit on that ref.
 *
 * @param name           the test's name
 * @param status         "running" or "concluded"
 * @param arms           the arms in order; the first is the control the others are compared with
 * @param metric         the monitoring CSV column the report compares (may be null)
 * @param monitoringFile the CSV read from each arm's branch
 * @param createdAt      ISO-8601 instant
 * @param winner         the winning arm once concluded
 * @param concludedAt    ISO-8601 instant once concluded
 * @param promotedInto   the branch the winner was promoted into
 * @param promotion      the promotion commit
 * @param promotionTag   the promotion's tag
 */
public record AbTest(String name, String status, List<Arm> arms, String metric, String monitoringFile, String createdAt,
                     String winner, String concludedAt, String promotedInto, String promotion, String promotionTag) {
    public static final String RUNNING = "running";
    public static final String CONCLUDED = "concluded";

    public AbTest {
        arms = List.copyOf(arms);
    }

    /**
     * One arm: a branch pinned to the commit it had when the test was created.
     *
     * @param weight share of traffic, normalised so the arms' weights sum to 1
     */
    public record Arm(String name, String branch, String commit, double weight) {
    }

    /** The arm called {@code name}, or null. */
    public Arm arm(String name) {
        return arms.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
    }
}
