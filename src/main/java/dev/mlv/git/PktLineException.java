package dev.mlv.git;

import java.io.IOException;

/**
 * The other side broke Git's pkt-line framing or the filter protocol (a bad length, a missing
 * flush, an unexpected end of input). The conversation cannot continue after it.
 */
public final class PktLineException extends IOException {
    private static final long serialVersionUID = 1L;

    public PktLineException(String message) {
        super(message);
    }
}
