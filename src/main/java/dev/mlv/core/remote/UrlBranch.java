package dev.mlv.core.remote;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import dev.mlv.core.StoreRemote;
import dev.mlv.core.internal.Branches;
import dev.mlv.core.internal.GitTransportErrors;
import dev.mlv.store.LockBusyException;
import dev.mlv.store.StoreLock;
import dev.mlv.store.backend.RemoteLocation;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;

/**
 * One branch of a Git URL, without a clone ({@code mlv mount URL#BRANCH}): fetched at depth 1 into
 * a private bare repository under mlv's cache directory ({@code $XDG_CACHE_HOME/mlv/mount/}, else
 * {@code ~/.cache/mlv/mount/}), one per URL, which the next fetch of that URL reuses and updates.
 * Its configuration is the fetched commit's {@code .mlv/config.json}, read as for any bare
 * repository; large files are read from the store remote it names. Fetches of one URL take turns.
 */
public final class UrlBranch {
    /** Under the user's cache directory. */
    static final String CACHE_SUBDIR = "mlv/mount";
    private static final Duration LOCK_WAIT = Duration.ofMinutes(5);

    /** {@code URL#BRANCH}: where the repository is and which branch to fetch. */
    public record Source(String url, String branch) {
        /**
         * Whether a mount's first argument names a Git URL rather than a ref: it has a scheme or
         * {@code host:} (no ref may hold {@code :}), starts with {@code /}, {@code ./} or
         * {@code ../}, or names a directory under {@code base} before a {@code #}.
         */
        public static boolean isUrl(String arg, Path base) {
            if (arg.contains(":") || arg.startsWith("/") || arg.startsWith("./") || arg.startsWith("../")) {
                return true;
            }
            int hash = arg.lastIndexOf('#');
            return hash > 0 && Files.isDirectory(base.resolve(arg.substring(0, hash)));
        }

        /**
         * Splits {@code URL#BRANCH}; a local path becomes absolute against {@code base}.
         *
         * @throws MlvException USAGE without {@code #BRANCH}, for a bad branch name or URL
         */
        public static Source parse(String arg, Path base) throws MlvException {
            int hash = arg.lastIndexOf('#');
            if (hash < 0 || hash == arg.length() - 1) {
                throw MlvException.usage("give the branch after '#': mlv mount URL#BRANCH DIR, e.g. 'mlv mount "
                        + redact(hash < 0 ? arg : arg.substring(0, hash)) + "#main /mnt/model'");
            }
            String url = arg.substring(0, hash);
            String branch = arg.substring(hash + 1);
            Branches.checkName(branch);
            if (url.isEmpty()) {
                throw MlvException.usage("give a Git URL before '#" + branch + "': mlv mount URL#BRANCH DIR");
            }
            try {
                URIish uri = new URIish(url);
                if (uri.getScheme() == null && uri.getHost() == null) {
                    url = base.resolve(url).toAbsolutePath().normalize().toString();
                }
            } catch (URISyntaxException e) {
                throw MlvException.usage("'" + redact(url) + "' is not a Git URL or path: " + e.getReason());
            }
            return new Source(url, branch);
        }

        /** {@code URL#BRANCH} with any password left out, for messages. */
        public String display() {
            return redact(url) + "#" + branch;
        }
    }

    private final Session session;
    private final Source source;

    public UrlBranch(Session session, Source source) {
        this.session = session;
        this.source = source;
    }

    /** The fetched branch opened as a repository; {@code ref} names the branch in it. The caller closes it. */
    public record Result(MlvRepository repository, String ref, String commit, Path directory, boolean created) {
    }

    /**
     * Fetches the branch at depth 1 into this URL's repository (created on first use) and opens it,
     * its configuration read from the fetched commit.
     *
     * @throws MlvException NOT_FOUND when the URL has no such branch; REMOTE_UNREACHABLE when it
     *     cannot be fetched; USAGE when the user's cache directory is unknown
     */
    public Result open() throws MlvException {
        Path dir = directory();
        try (StoreLock lock = lock(dir)) {
            boolean created = !Files.isDirectory(dir);
            String commit;
            try {
                commit = fetchInto(dir, created, true);
            } catch (MlvException | RuntimeException e) {
                if (created) {
                    delete(dir);
                }
                throw e;
            }
            // HEAD names the branch, so MlvRepository reads the fetched commit's .mlv/config.json
            // (a bare repository's configuration); under the lock, no other fetch moves it meanwhile
            MlvRepository repo = MlvRepository.open(dir, session);
            return new Result(repo, ref(), commit, dir, created);
        } catch (IOException e) {
            throw lockFailure(dir, e);
        }
    }

    /**
     * Fetches the branch again into the repository {@link #open} made (for {@code --follow});
     * returns the commit it names now. The repository's configuration is not reloaded.
     */
    public String fetch() throws MlvException {
        Path dir = directory();
        try (StoreLock lock = lock(dir)) {
            return fetchInto(dir, false, false);
        } catch (IOException e) {
            throw lockFailure(dir, e);
        }
    }

    /** The ref of the fetched branch in this URL's repository. */
    public String ref() {
        return Constants.R_HEADS + source.branch();
    }

    /**
     * Where this URL's repository is kept: {@code NAME-HASH.git} under {@link #cacheRoot}, the hash
     * of the URL without its password (a local path as its {@code file://} URL, without a trailing
     * {@code /}, so both spellings share one repository).
     */
    public Path directory() throws MlvException {
        String keyed = redact(source.url());
        if (!keyed.contains("://") && Path.of(keyed).isAbsolute()) {
            keyed = Path.of(keyed).toUri().toString();
        }
        keyed = keyed.replaceAll("/+$", "");
        String name;
        try {
            name = new URIish(source.url()).getHumanishName();
        } catch (URISyntaxException | IllegalArgumentException e) {
            name = "";
        }
        name = name.replaceAll("[^A-Za-z0-9._-]", "_");
        name = name.isEmpty() || name.startsWith(".") ? "repo" : name.substring(0, Math.min(40, name.length()));
        return cacheRoot(session).resolve(name + "-" + sha256(keyed).substring(0, 16) + ".git");
    }

    /**
     * The directory of every URL's repository: {@code $XDG_CACHE_HOME/mlv/mount}, else
     * {@code $HOME/.cache/mlv/mount}.
     *
     * @throws MlvException USAGE when neither variable is set
     */
    public static Path cacheRoot(Session session) throws MlvException {
        String xdg = session.env("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg).resolve(CACHE_SUBDIR);
        }
        String home = session.env("HOME");
        if (home == null || home.isBlank()) {
            throw MlvException.usage("neither XDG_CACHE_HOME nor HOME is set: mlv keeps the fetched repository under"
                    + " $XDG_CACHE_HOME/mlv/mount (else ~/.cache/mlv/mount); set one of them");
        }
        return Path.of(home).resolve(".cache").resolve(CACHE_SUBDIR);
    }

    /**
     * Refuses a repository whose large files cannot be read here: its {@code .mlv/config.json}
     * names no store remote, or one at a relative path (relative to a clone's work tree, which a
     * mount of a URL does not have).
     *
     * @throws MlvException NOT_FOUND without a store remote, USAGE for a relative directory
     */
    public void requireStoreRemote(MlvConfig config) throws MlvException {
        StoreRemote remote = StoreRemote.pick(config, null);
        if (remote == null) {
            throw MlvException.notFound("branch '" + source.branch() + "' of " + redact(source.url())
                    + " has large files, but its " + MlvConfig.PATH + " names no store remote to read them from;"
                    + " in a clone: 'mlv store remote set origin URL', commit " + MlvConfig.PATH + " and push it");
        }
        if (remote.url() != null && !remote.lfs()) {
            try {
                if (new RemoteLocation(remote.url(), remote.endpoint(), remote.region(), remote.pathStyle()).relativeDirectory()) {
                    throw MlvException.usage("store remote '" + remote.name() + "' in " + MlvConfig.PATH + " of "
                            + source.display() + " is a relative path (" + remote.url() + "), which only a clone"
                            + " resolves; mount from a clone, or commit an absolute URL ('mlv store remote set "
                            + remote.name() + " file:///path')");
                }
            } catch (IllegalArgumentException e) {
                // ContentRemote.open reports an unusable URL with its own message
            }
        }
    }

    /**
     * Creates the repository when {@code create}, fetches the branch at depth 1 into {@link #ref}
     * (and points HEAD at it when {@code head}); returns its commit.
     */
    private String fetchInto(Path dir, boolean create, boolean head) throws MlvException {
        String shown = source.display();
        try (Git git = create ? Git.init().setBare(true).setDirectory(dir.toFile()).setInitialBranch(source.branch()).call()
                : Git.open(dir.toFile())) {
            if (create) {
                // an mlv repository even when the branch has no .mlv/config.json: its store lives here
                Files.createDirectories(dir.resolve("mlv"));
            }
            try {
                git.fetch().setRemote(source.url()).setDepth(1).setTagOpt(TagOpt.NO_TAGS)
                        .setRefSpecs(new RefSpec("+" + ref() + ":" + ref())).call();
            } catch (InvalidRemoteException e) {
                throw new MlvException(ErrorKind.REMOTE_UNREACHABLE, "cannot fetch " + shown + ": " + redact(source.url())
                        + " is not a Git repository or URL that can be reached; check the URL", e);
            } catch (org.eclipse.jgit.api.errors.TransportException e) {
                throw missingBranchOr(e);
            }
            ObjectId tip = git.getRepository().resolve(ref() + "^{commit}");
            if (tip == null) {
                throw MlvException.notFound(redact(source.url()) + " has no branch '" + source.branch() + "'");
            }
            if (head) {
                git.getRepository().updateRef(Constants.HEAD).link(ref());
            }
            return tip.name();
        } catch (GitAPIException e) {
            throw GitTransportErrors.map("fetch " + shown, redact(source.url()), e);
        } catch (IOException e) {
            throw new MlvException("cannot fetch " + shown + " into " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A failed fetch of one branch: NOT_FOUND when the URL answers but lacks the branch (JGit says
     * only that the spec cannot be fetched), else the transport failure.
     */
    private MlvException missingBranchOr(org.eclipse.jgit.api.errors.TransportException failure) {
        Collection<Ref> heads;
        try {
            heads = Git.lsRemoteRepository().setRemote(source.url()).setHeads(true).call();
        } catch (GitAPIException e) {
            return GitTransportErrors.map("fetch " + source.display(), redact(source.url()), failure);
        }
        if (heads.stream().noneMatch(r -> r.getName().equals(ref()))) {
            String names = heads.stream().map(r -> r.getName().substring(Constants.R_HEADS.length())).sorted().limit(10)
                    .collect(Collectors.joining(", "));
            return MlvException.notFound(redact(source.url()) + " has no branch '" + source.branch() + "'"
                    + (names.isEmpty() ? " (it has no branches)" : "; its branches: " + names));
        }
        return GitTransportErrors.map("fetch " + source.display(), redact(source.url()), failure);
    }

    private static StoreLock lock(Path dir) throws IOException {
        return StoreLock.acquire(dir.resolveSibling(dir.getFileName() + ".lock"), StoreLock.Mode.EXCLUSIVE, LOCK_WAIT, "fetch");
    }

    private static MlvException lockFailure(Path dir, IOException e) {
        if (e instanceof LockBusyException) {
            return new MlvException("another mlv is fetching into " + dir + ": " + e.getMessage(), e);
        }
        return new MlvException("cannot lock " + dir + " for a fetch: " + e.getMessage(), e);
    }

    /** Removes a repository this fetch created, so a failure leaves nothing behind. */
    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(UrlBranch.class).warn("cannot remove {}: {}", dir, e.toString());
        }
    }

    /** A URL with any password left out (JGit's form of it), for messages and the cache's key. */
    static String redact(String url) {
        try {
            URIish uri = new URIish(url);
            return uri.getPass() == null ? url : uri.setPass(null).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return url.replaceAll("//[^/@]*@", "//");
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
