package dev.mlv.git;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Stands in for {@code mlv filter-process} until the CLI command exists: git starts it as
 * {@code filter.mlv.process} in {@link FilterProcessGitTest}. Argument: the store directory.
 */
public final class FilterProcessTestMain {
    private FilterProcessTestMain() {
    }

    public static void main(String[] args) throws IOException {
        // stdout is the protocol channel: keep it for the filter alone, and send anything else
        // that would print there (a logging default, a stray println) to stderr.
        OutputStream protocol = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
        System.setOut(System.err);
        FilterProcessDirectoryStore store = new FilterProcessDirectoryStore(Path.of(args[0]));
        new FilterProcess(store, System.in, protocol, System.err).run();
        protocol.flush();
    }
}
