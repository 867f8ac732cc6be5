package dev.mlv.core.data.internal;

import dev.mlv.core.MlvException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a data repository lives, checked against the transports mlv allows: {@code https://},
 * {@code ssh://}, scp-like {@code user@host:path}, {@code file://} and local paths. Anything else
 * ({@code ext::}, {@code fd::}, other remote helpers, plain {@code http://}, {@code git://}) is
 * refused: JGit would accept some of them where {@code git} refuses, so mlv decides itself.
 *
 * @param url what is recorded in {@code .gitmodules}: the URL as given, a local path made absolute
 * @param localPath the repository's directory for a local path or {@code file://} URL, else null
 */
public record DataUrl(String url, Path localPath) {
    private static final Set<String> SCHEMES = Set.of("https", "ssh", "file");
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");
    /** {@code [user@]host:path} with no slash before the colon (git's own rule for scp-like syntax). */
    private static final Pattern SCP = Pattern.compile("^(?:[A-Za-z0-9._~-]+@)?[A-Za-z0-9.-]+:[^:].*");

    /** Parses and checks {@code url}; a relative local path is resolved against {@code base}. */
    public static DataUrl parse(String url, Path base) throws MlvException {
        if (url == null || url.isBlank()) {
            throw MlvException.usage("the data repository URL is empty; give an https, ssh or local path URL");
        }
        if (url.startsWith("-") || url.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw refused(url, "it starts with '-' or holds control characters");
        }
        var scheme = SCHEME.matcher(url);
        if (scheme.find()) {
            String name = scheme.group(1).toLowerCase(Locale.ROOT);
            if (!SCHEMES.contains(name)) {
                throw refused(url, "transport '" + name + "' is not allowed");
            }
            if (name.equals("file")) {
                try {
                    return new DataUrl(url, Path.of(new URI(url)).normalize());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw refused(url, "it is not a valid file:// URL");
                }
            }
            if (hostStartsWithDash(url.substring(scheme.end()))) {
                throw refused(url, "its host starts with '-' (it would be read as an option)");
            }
            return new DataUrl(url, null);
        }
        int slash = url.indexOf('/');
        int colon = url.indexOf(':');
        if (colon >= 0 && (slash < 0 || colon < slash)) {
            // git reads '<helper>::<address>' as a remote helper (ext::, fd::, ...); never allowed
            if (url.startsWith("::", colon) || !SCP.matcher(url).matches()) {
                throw refused(url, "transport '" + url.substring(0, colon) + "::' is not allowed");
            }
            if (hostStartsWithDash(url)) {
                throw refused(url, "its host starts with '-' (it would be read as an option)");
            }
            return new DataUrl(url, null);
        }
        Path path = base.resolve(url).toAbsolutePath().normalize();
        return new DataUrl(path.toString(), path);
    }

    /** {@code [user@]-host...}: ssh would take the host for an option (e.g. -oProxyCommand=...). */
    private static boolean hostStartsWithDash(String authorityAndPath) {
        String host = authorityAndPath.substring(authorityAndPath.indexOf('@') + 1);
        return host.startsWith("-");
    }

    boolean isLocal() {
        return localPath != null;
    }

    /** The local repository's git directory ({@code .git}, or the directory itself when bare), or null. */
    Path localGitDir() {
        if (localPath == null) {
            return null;
        }
        Path dotGit = localPath.resolve(".git");
        if (Files.isDirectory(dotGit)) {
            return dotGit;
        }
        return Files.isRegularFile(localPath.resolve("HEAD")) && Files.isDirectory(localPath.resolve("objects")) ? localPath : null;
    }

    /** The local data repository's own mlv store, or null when it has none (or is remote). */
    Path localStore() {
        Path gitDir = localGitDir();
        Path store = gitDir == null ? null : gitDir.resolve("mlv").resolve("store");
        return store != null && Files.isRegularFile(store.resolve("config.json")) ? store : null;
    }

    private static MlvException refused(String url, String why) {
        return MlvException.usage("refusing data repository URL '" + oneLine(url) + "': " + why
                + "; use https://, ssh://, git@host:path, file:// or a local path");
    }

    private static String oneLine(String s) {
        String clean = s.replaceAll("[\\x00-\\x1f\\x7f]", "?");
        return clean.length() > 80 ? clean.substring(0, 77) + "..." : clean;
    }
}
