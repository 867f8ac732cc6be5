package dev.mlv.core.internal;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import org.eclipse.jgit.api.errors.AbortedByHookException;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;

/** Maps JGit's transport failures to error kinds: unreachable remotes exit 7. */
public final class GitTransportErrors {
    private GitTransportErrors() {
    }

    public static MlvException map(String what, String remote, GitAPIException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AbortedByHookException hook) {
                return hookRejected(what, hook, e);
            }
        }
        if (e instanceof InvalidRemoteException) {
            return MlvException.notFound("cannot " + what + ": '" + remote + "' is not a Git remote or repository;"
                    + " check it with 'mlv remote list'");
        }
        if (e instanceof TransportException) {
            return new MlvException(ErrorKind.REMOTE_UNREACHABLE, "cannot " + what + ": Git remote '" + remote
                    + "' is unreachable (" + e.getMessage() + "); check the URL, the network and your Git credentials,"
                    + " then run the command again", e);
        }
        return new MlvException("cannot " + what + ": " + e.getMessage(), e);
    }

    /**
     * A hook said no: not an unreachable remote. The message names the hook and carries what it
     * printed (on one line), and for Git LFS's own hooks, which have no place in an mlv repository
     * (git-lfs installs them by itself, for example on 'git lfs fsck'), how to remove them.
     */
    private static MlvException hookRejected(String what, AbortedByHookException hook, GitAPIException e) {
        String said = hook.getHookStdErr() == null ? "" : hook.getHookStdErr().strip().replaceAll("\\s*\\R\\s*", " / ");
        if (said.length() > 300) {
            said = said.substring(0, 300) + "...";
        }
        boolean lfs = said.toLowerCase(java.util.Locale.ROOT).contains("lfs");
        return new MlvException("cannot " + what + ": the Git " + hook.getHookName() + " hook (.git/hooks/"
                + hook.getHookName() + ") rejected it with exit code " + hook.getReturnCode()
                + (said.isEmpty() ? "" : ": " + said)
                + (lfs ? "; it is Git LFS's hook, which mlv does not use: remove it with 'git lfs uninstall --local'"
                        : "; fix what the hook reports, or remove the hook") + "; nothing was pushed", e);
    }
}
