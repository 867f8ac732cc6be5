package dev.mlv.cli;

import dev.mlv.store.ProgressListener;
import java.io.PrintWriter;

/**
 * A progress line on stderr, redrawn at most a few times a second, shown only when stderr is a
 * terminal and output is not quiet or JSON. Sums the increments it is told; thread-safe, as
 * transfers report from worker threads.
 */
final class Progress implements ProgressListener, AutoCloseable {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final boolean visible;
    private final long start = System.nanoTime();
    private long done;
    private long lastDraw;
    private boolean drawn;

    private Progress(CliContext context, String label, long total) {
        this.err = context.err();
        this.label = label;
        this.total = total;
        this.visible = context.environment().terminal() && !context.quiet() && !context.json();
    }

    /** Progress over a known number of bytes (0 or less when unknown). */
    static Progress bytes(CliContext context, String label, long total) {
        return new Progress(context, label, total);
    }

    @Override
    public synchronized void bytesDone(long bytes) {
        done += bytes;
        long now = System.nanoTime();
        if (visible && now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            draw(now);
        }
    }

    private void draw(long now) {
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        String rate = Sizes.human((long) (done / seconds)) + "/s";
        String line = total > 0
                ? String.format("%s: %3d%% %s / %s, %s", label, Math.min(100, done * 100 / total),
                        Sizes.human(done), Sizes.human(total), rate)
                : String.format("%s: %s, %s", label, Sizes.human(done), rate);
        err.print("\r" + line + "\u001b[K");
        err.flush();
        drawn = true;
    }

    /** Clears the line (the result is then printed by the command). */
    synchronized void done() {
        if (drawn) {
            err.print("\r\u001b[K");
            err.flush();
            drawn = false;
        }
    }

    @Override
    public void close() {
        done();
    }
}
