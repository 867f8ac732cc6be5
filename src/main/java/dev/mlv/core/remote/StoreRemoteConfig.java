package dev.mlv.core.remote;

import dev.mlv.core.AtomicFiles;
import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.StoreRemote;
import dev.mlv.store.backend.RemoteLocation;
import java.io.IOException;
import java.util.List;

/**
 * {@code mlv store remote set|show}: the store remotes in {@code .mlv/config.json}. The file is
 * committed, so a clone knows where the content lives; credentials are never written there.
 */
public final class StoreRemoteConfig {
    /** The URL that stands for the Git remote's own Git LFS server. */
    public static final String LFS = "lfs";

    private final MlvRepository repo;

    public StoreRemoteConfig(MlvRepository repo) {
        this.repo = repo;
    }

    /** The remote as written, and whether the file changed. */
    public record SetResult(StoreRemote remote, boolean changed, String file) {
    }

    /**
     * Adds or replaces the store remote {@code remote.name()}; validates the URL first. The URL
     * {@code lfs} stands for the Git LFS server of the Git remote of the same name, as git-lfs finds
     * it ({@link LfsEndpoint}); what is written is that server's URL, without credentials.
     */
    public SetResult set(StoreRemote remote) throws MlvException {
        if (remote.name() == null || !remote.name().matches("[A-Za-z0-9._-]+")) {
            throw MlvException.usage("bad store remote name '" + remote.name() + "': use letters, digits, '.', '_' and '-'");
        }
        if (LFS.equals(remote.url())) {
            if (remote.endpoint() != null || remote.region() != null || remote.pathStyle()) {
                throw MlvException.usage("--endpoint, --region and --path-style apply to s3:// stores only");
            }
            remote = new StoreRemote(remote.name(), LfsEndpoint.of(repo, remote.name()), null, null, false);
        }
        RemoteLocation location;
        try {
            location = new RemoteLocation(remote.url(), remote.endpoint(), remote.region(), remote.pathStyle());
        } catch (IllegalArgumentException e) {
            throw MlvException.usage(e.getMessage());
        }
        if (!remote.hardLinks() && (location.s3() || location.lfs())) {
            throw MlvException.usage("--no-hard-links applies to directory stores only: " + remote.url()
                    + " is not a directory");
        }
        StoreRemote before = StoreRemote.all(repo.config()).get(remote.name());
        if (remote.equals(before)) {
            return new SetResult(remote, false, MlvConfig.PATH);
        }
        MlvConfig updated = remote.writeTo(repo.config());
        try {
            AtomicFiles.write(repo.workTree().resolve(MlvConfig.PATH), updated.toBytes());
        } catch (IOException e) {
            throw new MlvException("cannot write " + MlvConfig.PATH + ": " + e.getMessage(), e);
        }
        repo.reloadConfig();
        return new SetResult(remote, true, MlvConfig.PATH);
    }

    /** The configured store remotes, in file order, and the one used by default (or null). */
    public record ShowResult(List<StoreRemote> remotes, String defaultRemote) {
    }

    public ShowResult show() {
        StoreRemote picked = StoreRemote.pick(repo.config(), null);
        return new ShowResult(List.copyOf(StoreRemote.all(repo.config()).values()), picked == null ? null : picked.name());
    }
}
