package dev.mlv.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Standard output taken over by a line protocol for one command (git's filter process, git-lfs's
 * transfer agent). In a real process the protocol writes to the file descriptor itself (a
 * {@link PrintStream} would hide a broken pipe), and whatever else would print there (a library's
 * {@code println}) goes to stderr until {@link #close()}; in tests the captured stream is used.
 */
final class ProtocolStdout implements AutoCloseable {
    private final PrintStream original;
    private final boolean processStdout;
    private final OutputStream channel;

    ProtocolStdout(CliEnvironment env) {
        original = env.out();
        processStdout = original == System.out;
        channel = processStdout ? new FileOutputStream(FileDescriptor.out) : original;
        if (processStdout) {
            System.setOut(env.err());
        }
    }

    /** Where the protocol's own bytes go. */
    OutputStream channel() {
        return channel;
    }

    @Override
    public void close() {
        if (processStdout) {
            System.setOut(original);
        }
    }
}
