package dev.mlv.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** All gates' results for one promotion, in the order the gates were given. Passes when every gate passes. */
public record GateReport(List<GateResult> results) {
    public GateReport {
        results = List.copyOf(results);
    }

    /** True when every gate passed (also when there are none). */
    @JsonProperty("passed")
    public boolean passed() {
        return results.stream().allMatch(GateResult::passed);
    }

    /** The results of the gates that failed. */
    public List<GateResult> failures() {
        return results.stream().filter(r -> !r.passed()).toList();
    }
}
