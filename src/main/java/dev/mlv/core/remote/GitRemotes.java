package dev.mlv.core.remote;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.transport.RemoteConfig;
import org.eclipse.jgit.transport.URIish;

/**
 * {@code mlv remote add|list|remove}: the repository's Git remotes (ordinary Git remotes in
 * {@code .git/config}, over any transport JGit supports: ssh, https, git, file and local paths).
 */
public final class GitRemotes {
    private final MlvRepository repo;

    public GitRemotes(MlvRepository repo) {
        this.repo = repo;
    }

    /** One remote: its name and fetch URLs. */
    public record Remote(String name, List<String> urls) {
    }

    public Remote add(String name, String url) throws MlvException {
        if (find(name) != null) {
            throw MlvException.usage("Git remote '" + name + "' already exists; remove it first with 'mlv remote remove " + name + "'");
        }
        try (Git git = new Git(repo.git())) {
            git.remoteAdd().setName(name).setUri(new URIish(url)).call();
            return new Remote(name, List.of(url));
        } catch (URISyntaxException e) {
            throw MlvException.usage("'" + url + "' is not a Git URL or path: " + e.getMessage());
        } catch (GitAPIException e) {
            throw new MlvException("cannot add Git remote '" + name + "': " + e.getMessage(), e);
        }
    }

    public List<Remote> list() throws MlvException {
        try {
            List<Remote> remotes = new ArrayList<>();
            for (RemoteConfig rc : RemoteConfig.getAllRemoteConfigs(repo.git().getConfig())) {
                remotes.add(new Remote(rc.getName(), rc.getURIs().stream().map(URIish::toString).toList()));
            }
            return remotes;
        } catch (URISyntaxException e) {
            throw new MlvException("a Git remote in .git/config has a bad URL: " + e.getMessage() + "; fix it with 'git remote set-url'");
        }
    }

    public Remote remove(String name) throws MlvException {
        Remote existing = find(name);
        if (existing == null) {
            throw MlvException.notFound("no Git remote named '" + name + "'; list them with 'mlv remote list'");
        }
        try (Git git = new Git(repo.git())) {
            git.remoteRemove().setRemoteName(name).call();
            return existing;
        } catch (GitAPIException e) {
            throw new MlvException("cannot remove Git remote '" + name + "': " + e.getMessage(), e);
        }
    }

    public Remote find(String name) throws MlvException {
        return list().stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    /** NOT_FOUND with advice when {@code name} is not a Git remote. */
    static void require(MlvRepository repo, String name) throws MlvException {
        if (new GitRemotes(repo).find(name) == null) {
            throw MlvException.notFound("no Git remote named '" + name + "'; add one with 'mlv remote add " + name + " URL'");
        }
    }
}
