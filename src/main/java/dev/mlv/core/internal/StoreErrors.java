package dev.mlv.core.internal;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.store.BackendUnreachableException;
import dev.mlv.store.ContentNotFoundException;
import dev.mlv.store.CorruptContentException;
import java.io.IOException;

/** Maps store failures to the error kinds (and so exit codes) of the command line. */
final class StoreErrors {
    private StoreErrors() {
    }

    /** {@code what} says what was being done ("push to store 'origin'"); the cause's message says why. */
    static MlvException map(String what, IOException e) {
        if (e instanceof BackendUnreachableException) {
            return new MlvException(ErrorKind.REMOTE_UNREACHABLE, "cannot " + what + ": " + e.getMessage()
                    + " (nothing that a later run cannot finish was left behind; run the command again)", e);
        }
        if (e instanceof CorruptContentException) {
            return MlvException.integrity("cannot " + what + ": " + e.getMessage()
                    + "; nothing was written to the work tree; push the content again from a repository that has it"
                    + " intact, or run 'mlv store verify'", e);
        }
        if (e instanceof ContentNotFoundException) {
            return new MlvException(ErrorKind.NOT_FOUND, "cannot " + what + ": " + e.getMessage(), e);
        }
        return new MlvException("cannot " + what + ": " + e.getMessage(), e);
    }
}
