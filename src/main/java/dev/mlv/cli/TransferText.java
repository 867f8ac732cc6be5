package dev.mlv.cli;

import dev.mlv.core.Transfer;
import java.util.Locale;

/** One line describing what a push, pull, fetch or clone moved. */
final class TransferText {
    private TransferText() {
    }

    static String describe(String verb, Transfer t) {
        if (t.files() == 0 && t.filesSkipped() == 0) {
            return "content: no large files to transfer";
        }
        return String.format(Locale.ROOT, "content: %s %d file(s), %d chunk(s), %s; skipped %d file(s) and %d chunk(s)"
                        + " (%s) already there; %.1f s",
                verb, t.files(), t.chunks(), Sizes.human(t.bytes()), t.filesSkipped(), t.chunksSkipped(),
                Sizes.human(t.skippedBytes()), t.millis() / 1000.0);
    }
}
