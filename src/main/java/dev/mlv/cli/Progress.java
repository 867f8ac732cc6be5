package dev.mlv.cli;

import dev.mlv.store.ProgressListener;
import java.io.PrintWriter;

/**
 * A progress line on stderr, redrawn at most a few times a second, shown only when stderr is a
 * terminal and output is not quiet or JSON: bytes done, and once the operation knows its total,
 * the total, percentage and time left; always the rate. Sums the increments it is told;
 * thread-safe, as transfers report from worker threads.
 *
 * <p>With {@link #onInterrupt}, a Ctrl-C (or SIGTERM) before {@link #close} prints, terminal or
 * not, how far the operation got and what that leaves: {@code mlv: interrupted: storing stopped
 * at 1.2 GiB of 3 GiB; nothing was committed}.
 */
final class Progress implements ProgressListener, AutoCloseable {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final String label;
    private final boolean visible;
    private final long start = System.nanoTime();
    private long total;
    private long done;
    private long lastDraw = start - REDRAW_NANOS;
    private boolean drawn;
    private boolean closed;
    private Thread interruptHook;

    private Progress(CliContext context, String label, long total) {
        this.err = context.err();
        this.label = label;
        this.total = total;
        this.visible = context.environment().terminal() && !context.quiet() && !context.json();
    }

    /** Progress over a known number of bytes (0 or less when unknown; the operation may tell it later). */
    static Progress bytes(CliContext context, String label, long total) {
        return new Progress(context, label, total);
    }

    /**
     * When the process is interrupted before {@link #close}, print how far it got and then
     * {@code consequence} (what was and was not done: "nothing was committed").
     */
    synchronized Progress onInterrupt(String consequence) {
        if (interruptHook == null) {
            interruptHook = new Thread(() -> interrupted(consequence), "mlv-interrupted");
            Runtime.getRuntime().addShutdownHook(interruptHook);
        }
        return this;
    }

    /** What the shutdown hook prints (package-private for tests: a hook cannot be run twice). */
    synchronized void interrupted(String consequence) {
        if (closed) {
            return;
        }
        if (drawn) {
            err.print("\r\u001b[K");
        }
        String reached = total > 0 ? Sizes.human(done) + " of " + Sizes.human(total) : Sizes.human(done);
        err.println("mlv: interrupted: " + label + " stopped at " + reached + "; " + consequence);
        err.flush();
    }

    @Override
    public synchronized void totalKnown(long bytes) {
        total = bytes;
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
        double perSecond = done / seconds;
        String rate = Sizes.human((long) perSecond) + "/s";
        String line;
        if (total > 0) {
            String eta = perSecond < 1 || done >= total ? "" : ", " + duration((long) ((total - done) / perSecond)) + " left";
            line = String.format("%s: %3d%% %s / %s, %s%s", label, Math.min(100, done * 100 / total),
                    Sizes.human(done), Sizes.human(total), rate, eta);
        } else {
            line = String.format("%s: %s, %s", label, Sizes.human(done), rate);
        }
        err.print("\r" + line + "\u001b[K");
        err.flush();
        drawn = true;
    }

    private static String duration(long seconds) {
        return seconds < 60 ? seconds + "s"
                : seconds < 3600 ? String.format("%dm%02ds", seconds / 60, seconds % 60)
                : String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
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
        Thread hook;
        synchronized (this) {
            done();
            closed = true;
            hook = interruptHook;
            interruptHook = null;
        }
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs, and sees this progress closed
            }
        }
    }
}
