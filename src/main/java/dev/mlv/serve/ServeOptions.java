package dev.mlv.serve;

/**
 * How {@link MlvServer} listens.
 *
 * @param bind    address to bind (default loopback: only this machine can connect)
 * @param port    TCP port; 0 picks a free one
 * @param token   when not null, every request needs {@code Authorization: Bearer <token>}
 * @param threads request threads
 * @param backlog requests that may wait for a thread; beyond it the server answers 503
 */
public record ServeOptions(String bind, int port, String token, int threads, int backlog) {
    /** Requests that may wait for a request thread by default. */
    public static final int DEFAULT_BACKLOG = 256;

    public ServeOptions(String bind, int port, String token, int threads) {
        this(bind, port, token, threads, DEFAULT_BACKLOG);
    }

    public static final String LOOPBACK = "127.0.0.1";

    public ServeOptions {
        if (bind == null || bind.isBlank()) {
            bind = LOOPBACK;
        }
        if (threads < 1) {
            threads = 1;
        }
        if (backlog < 0) {
            backlog = 0;
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the token is empty");
        }
    }

    /** Loopback, a free port, no token, 8 threads. */
    public static ServeOptions defaults() {
        return new ServeOptions(LOOPBACK, 0, null, 8);
    }

    @Override
    public String toString() {
        // never show the token
        return "ServeOptions[bind=" + bind + ", port=" + port + ", token=" + (token == null ? "none" : "set") + ", threads=" + threads
                + ", backlog=" + backlog + "]";
    }
}
