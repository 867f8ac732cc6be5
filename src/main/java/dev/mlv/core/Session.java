package dev.mlv.core;

import java.time.Clock;
import java.util.Map;

/**
 * What an operation sees of its caller's world: the clock (commit times, run records, ages) and
 * the environment variables (author identity, variables a run record keeps). Tests pass a fixed
 * clock and a small map so that commit ids are stable.
 */
public record Session(Clock clock, Map<String, String> env) {
    public Session {
        env = Map.copyOf(env);
    }

    /** An environment variable, or null. */
    public String env(String name) {
        return env.get(name);
    }
}
