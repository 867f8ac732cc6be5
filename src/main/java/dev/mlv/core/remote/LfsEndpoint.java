package dev.mlv.core.remote;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;

/**
 * The Git LFS endpoint of a Git remote, found as git-lfs finds it: {@code lfs.url}, then
 * {@code remote.NAME.lfsurl}, each from git's config first and the work tree's {@code .lfsconfig}
 * second; else the remote's URL with {@code /info/lfs} appended ({@code .git/info/lfs} when it
 * does not end in {@code .git}), an SSH URL read as HTTPS to the same host and path. User
 * information in the URL is dropped: credentials come from git's credential helpers.
 */
final class LfsEndpoint {
    private LfsEndpoint() {
    }

    /** The endpoint of Git remote {@code remote}; USAGE when there is none to be found. */
    static String of(MlvRepository repo, String remote) throws MlvException {
        Config git = repo.git().getConfig();
        Config lfsconfig = lfsconfig(repo.directory().resolve(".lfsconfig"));
        String url = first(git.getString("lfs", null, "url"), lfsconfig.getString("lfs", null, "url"));
        if (url == null) {
            url = first(git.getString("remote", remote, "lfsurl"), lfsconfig.getString("remote", remote, "lfsurl"));
        }
        if (url != null) {
            return strip(url, "lfs.url or remote." + remote + ".lfsurl");
        }
        String clone = git.getString("remote", remote, "url");
        if (clone == null) {
            throw MlvException.notFound("no Git remote named '" + remote + "' (and no lfs.url or remote." + remote
                    + ".lfsurl): add it with 'mlv remote add " + remote + " URL', or give the LFS URL itself:"
                    + " 'mlv store remote set " + remote + " https://HOST/REPO.git/info/lfs'");
        }
        return fromCloneUrl(clone, remote);
    }

    /** git-lfs's rule for a clone URL: {@code URL/info/lfs} after {@code .git}, SSH read as HTTPS. */
    static String fromCloneUrl(String clone, String remote) throws MlvException {
        String http;
        if (clone.startsWith("https://") || clone.startsWith("http://")) {
            http = clone;
        } else if (clone.startsWith("ssh://") || clone.startsWith("git+ssh://") || clone.startsWith("ssh+git://")) {
            URI u = parse(clone, remote);
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            http = "https://" + u.getHost() + path; // git-lfs drops the SSH port: HTTPS runs on its own
        } else if (clone.matches("[^/:]+@?[^/:]*:[^/].*") && !clone.contains("://")) {
            String hostPart = clone.substring(0, clone.indexOf(':'));
            String host = hostPart.substring(hostPart.indexOf('@') + 1);
            String path = clone.substring(clone.indexOf(':') + 1);
            http = "https://" + host + "/" + path;
        } else {
            throw MlvException.usage("the Git remote '" + remote + "' (" + redact(clone) + ") is not on an HTTP or SSH"
                    + " host, so it has no Git LFS server to derive; set lfs.url (git config lfs.url"
                    + " https://HOST/REPO.git/info/lfs) or give the LFS URL itself: 'mlv store remote set " + remote
                    + " https://HOST/REPO.git/info/lfs'");
        }
        while (http.endsWith("/")) {
            http = http.substring(0, http.length() - 1);
        }
        http = http.endsWith(".git") ? http + "/info/lfs" : http + ".git/info/lfs";
        return strip(http, "the URL of Git remote '" + remote + "'");
    }

    /** The URL without user information (a token in a clone URL must not reach the committed config). */
    private static String strip(String url, String from) throws MlvException {
        URI u = parse(url, from);
        if (u.getScheme() == null || !(u.getScheme().equalsIgnoreCase("https") || u.getScheme().equalsIgnoreCase("http"))) {
            throw MlvException.usage("the LFS URL from " + from + " (" + redact(url) + ") is not an http(s) URL;"
                    + " mlv speaks the Batch API over HTTP(S) only");
        }
        try {
            URI bare = new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null);
            String s = bare.toString();
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        } catch (URISyntaxException e) {
            throw MlvException.usage("bad LFS URL from " + from + ": " + e.getReason());
        }
    }

    private static URI parse(String url, String from) throws MlvException {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw MlvException.usage("bad URL in " + from + " (" + redact(url) + "): " + e.getReason());
        }
    }

    /** A URL fit for a message: user information replaced. */
    private static String redact(String url) {
        return url.replaceFirst("^([a-z+]+://)[^/@]*@", "$1***@");
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private static Config lfsconfig(Path file) throws MlvException {
        Config c = new Config();
        if (Files.isRegularFile(file)) {
            try {
                c.fromText(Files.readString(file));
            } catch (IOException | ConfigInvalidException e) {
                throw MlvException.usage("cannot read .lfsconfig: " + e.getMessage() + "; fix it as for git config");
            }
        }
        return c;
    }
}
