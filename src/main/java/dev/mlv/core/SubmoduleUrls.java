package dev.mlv.core;

import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;

/**
 * Which submodule URLs mlv lets Git fetch from. A {@code .gitmodules} comes with the repository,
 * so it is untrusted input: {@code ext::} runs an arbitrary command, {@code fd::} and other
 * remote helpers ({@code <transport>::<address>}) reach outside the transports users expect,
 * and a URL or host starting with {@code -} can smuggle an option into {@code ssh}. Every mlv
 * command that clones, fetches or updates a submodule calls {@link #checkGitmodules} first.
 */
final class SubmoduleUrls {
    private static final Pattern SCHEMES = Pattern.compile("(https?|ssh|git|file)://.+");
    /** {@code user@host:path}, the scp-like form git treats as ssh. */
    private static final Pattern SCP_LIKE = Pattern.compile("([A-Za-z0-9._~-]+@)?[A-Za-z0-9._-]+:[^:].*");

    private SubmoduleUrls() {
    }

    /** Refuses a URL mlv will not hand to Git (exit 1 with what to do). */
    static void check(String name, String url) throws MlvException {
        String why = problem(url);
        if (why != null) {
            throw new MlvException("submodule '" + name + "' has the URL '" + printable(url) + "', which mlv will not use: "
                    + why + "; fix its url in .gitmodules (https://, ssh://, git@host:path or a local path)");
        }
    }

    /** Checks every {@code submodule.*.url} of a {@code .gitmodules} file's text. */
    static void checkGitmodules(String text) throws MlvException {
        Config config = new Config();
        try {
            config.fromText(text);
        } catch (ConfigInvalidException e) {
            throw new MlvException(".gitmodules cannot be parsed (" + e.getMessage() + "); fix it before using submodules", e);
        }
        for (String name : config.getSubsections("submodule")) {
            String url = config.getString("submodule", name, "url");
            if (url != null) {
                check(name, url);
            }
        }
    }

    /** Why the URL is refused, or null when it is acceptable. */
    static String problem(String url) {
        if (url.isEmpty()) {
            return "it is empty";
        }
        for (int i = 0; i < url.length(); i++) {
            if (url.charAt(i) < 0x20 || url.charAt(i) == 0x7f) {
                return "it contains a control character";
            }
        }
        if (url.startsWith("-")) {
            return "it starts with '-' and would be read as an option";
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.contains("::")) {
            return "'" + lower.substring(0, lower.indexOf("::")) + "::' is a remote helper transport that can run"
                    + " commands (like ext::)";
        }
        if (url.startsWith("./") || url.startsWith("../") || url.startsWith("/")) {
            return null;
        }
        if (SCHEMES.matcher(lower).matches()) {
            String rest = url.substring(url.indexOf("://") + 3);
            String host = rest.contains("@") ? rest.substring(rest.indexOf('@') + 1) : rest;
            return host.startsWith("-") ? "its host starts with '-' and would be read as an option" : null;
        }
        if (!url.contains("://") && SCP_LIKE.matcher(url).matches()) {
            return null;
        }
        return "its transport is not one of https, http, ssh, git or file";
    }

    private static String printable(String url) {
        StringBuilder sb = new StringBuilder();
        url.codePoints().forEach(c -> sb.append(c < 0x20 || c == 0x7f ? "?" : Character.toString(c)));
        return sb.toString();
    }
}
