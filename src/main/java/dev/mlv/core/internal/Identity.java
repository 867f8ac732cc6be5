package dev.mlv.core.internal;

import dev.mlv.core.Session;
import java.time.Instant;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.UserConfig;

/** Who commits: from {@code GIT_AUTHOR_*}/{@code GIT_COMMITTER_*}, then Git config, then the OS user. */
public final class Identity {
    private Identity() {
    }

    public static PersonIdent author(Session session, Config config, Instant when) {
        return person(session, config, when, "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL");
    }

    public static PersonIdent committer(Session session, Config config, Instant when) {
        return person(session, config, when, "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL");
    }

    private static PersonIdent person(Session session, Config config, Instant when, String nameVar, String emailVar) {
        UserConfig user = config.get(UserConfig.KEY);
        String name = firstNonBlank(session.env(nameVar), user.getAuthorName(), System.getProperty("user.name"), "mlv");
        String email = firstNonBlank(session.env(emailVar), user.getAuthorEmail(), name + "@localhost");
        return new PersonIdent(name, email, when, session.clock().getZone());
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return "";
    }
}
