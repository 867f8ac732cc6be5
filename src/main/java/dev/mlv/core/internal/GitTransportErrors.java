package dev.mlv.core.internal;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;

/** Maps JGit's transport failures to error kinds: unreachable remotes exit 7. */
public final class GitTransportErrors {
    private GitTransportErrors() {
    }

    public static MlvException map(String what, String remote, GitAPIException e) {
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
}
