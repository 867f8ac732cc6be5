package dev.mlv.core.workspace;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mlv track} and {@code mlv untrack}: which paths are large files, as patterns in
 * {@code .gitattributes}. Files already committed keep their form until they are next committed.
 */
public final class Track {
    private final MlvRepository repo;

    public Track(MlvRepository repo) {
        this.repo = repo;
    }

    /** The patterns after the change, and which of the given ones changed anything. */
    public record Result(List<String> patterns, List<String> changed, List<String> unchanged) {
    }

    /** The tracked patterns. */
    public Result list() throws MlvException {
        return new Result(TrackedPatterns.read(repo.workTree()).patterns(), List.of(), List.of());
    }

    public Result add(List<String> patterns) throws MlvException {
        return edit(patterns, true);
    }

    public Result remove(List<String> patterns) throws MlvException {
        return edit(patterns, false);
    }

    private Result edit(List<String> patterns, boolean add) throws MlvException {
        for (String p : patterns) {
            TrackedPatterns.validate(p, add);
        }
        TrackedPatterns file = TrackedPatterns.read(repo.workTree());
        List<String> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (String p : patterns) {
            boolean did = add ? file.add(p) : file.remove(p);
            (did ? changed : unchanged).add(p);
        }
        if (!changed.isEmpty()) {
            file.write(repo.workTree());
        }
        return new Result(file.patterns(), changed, unchanged);
    }
}
