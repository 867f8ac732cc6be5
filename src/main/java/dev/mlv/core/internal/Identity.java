package dev.mlv.core.internal;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.Session;
import dev.mlv.git.GitUserConfig;
import java.io.IOException;
import java.time.Instant;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;

/**
 * Who commits and tags, by git's rules: {@code GIT_AUTHOR_NAME}/{@code GIT_AUTHOR_EMAIL} (for the
 * committer {@code GIT_COMMITTER_*}) from the session's environment, then {@code author.*}
 * ({@code committer.*}) and {@code user.*} in Git config (the repository's, the global files under
 * the environment's {@code HOME} and {@code XDG_CONFIG_HOME}, the system's; see
 * {@link GitUserConfig#load}), then {@code EMAIL} for the email. Unlike git, mlv never guesses a
 * name or an email from the OS user and host: promotion tags are an audit trail, so without both
 * an operation refuses before it changes anything (exit 2).
 */
public record Identity(String name, String email) {
    private static final String HINT = "hint: set one with 'git config --global user.name \"Your Name\"' and"
            + " 'git config --global user.email you@example.com', or in a container with the environment variables"
            + " GIT_AUTHOR_NAME, GIT_AUTHOR_EMAIL, GIT_COMMITTER_NAME and GIT_COMMITTER_EMAIL";

    /** The author of a commit in {@code git} (null: none exists yet, only global config applies). */
    public static Identity author(Session session, Repository git) throws MlvException {
        return resolve(session, git, "author", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL");
    }

    /** The committer of a commit, and the tagger of a tag, in {@code git} (null: none exists yet). */
    public static Identity committer(Session session, Repository git) throws MlvException {
        return resolve(session, git, "committer", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL");
    }

    /** Refuses, as a commit in {@code git} would, when its author or committer is unknown. */
    public static void checkForCommit(Session session, Repository git) throws MlvException {
        author(session, git);
        committer(session, git);
    }

    /** This identity at {@code when}, in the session clock's time zone. */
    public PersonIdent at(Session session, Instant when) {
        return new PersonIdent(name, email, when, session.clock().getZone());
    }

    private static Identity resolve(Session session, Repository git, String role, String nameVar, String emailVar)
            throws MlvException {
        Config config;
        try {
            config = GitUserConfig.load(session.env(), git);
        } catch (IOException e) {
            throw new MlvException(ErrorKind.USAGE, "cannot read the Git identity: " + e.getMessage(), e);
        }
        String name = first(session.env(nameVar), config.getString(role, null, "name"), config.getString("user", null, "name"));
        String email = first(session.env(emailVar), config.getString(role, null, "email"),
                config.getString("user", null, "email"), session.env("EMAIL"));
        if (name != null && email != null) {
            return new Identity(name, email);
        }
        String missing = name == null && email == null ? "no name and no email"
                : name == null ? "no name" : "no email";
        String where = (name == null ? nameVar + ", " + role + ".name or user.name" : "")
                + (name == null && email == null ? "; " : "")
                + (email == null ? emailVar + ", " + role + ".email, user.email or EMAIL" : "");
        throw new MlvException(ErrorKind.USAGE, role + " identity unknown: " + missing + " (" + where
                + ") in the environment or in Git config (global: " + GitUserConfig.globalFile(session.env())
                + "); nothing was changed\n" + HINT);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }
}
