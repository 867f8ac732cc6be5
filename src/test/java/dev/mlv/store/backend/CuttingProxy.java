package dev.mlv.store.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback in front of a real server that drops the next {@code cuts} connections
 * after relaying {@code cutAfter} bytes of the server's answer: a network that fails mid-body.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final URI target;
    private final AtomicInteger cuts = new AtomicInteger();
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile long cutAfter;

    CuttingProxy(URI target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "cutting-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /**
     * Cut the next {@code n} connections after {@code bytes} bytes of their responses; open ones
     * (a client's kept-alive connections) are dropped now, so the next request opens a new one.
     */
    void cutNext(int n, long bytes) {
        cutAfter = bytes;
        cuts.set(n);
        open.forEach(CuttingProxy::closeQuietly);
        open.clear();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                open.add(client);
                open.add(server);
                server.connect(new InetSocketAddress(target.getHost(), target.getPort()), 5000);
                long limit = cuts.getAndUpdate(c -> Math.max(0, c - 1)) > 0 ? cutAfter : Long.MAX_VALUE;
                pump(client, server, Long.MAX_VALUE);
                pump(server, client, limit);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void pump(Socket from, Socket to, long limit) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            long sent = 0;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    int allowed = (int) Math.min(n, limit - sent);
                    out.write(buf, 0, allowed);
                    out.flush();
                    sent += allowed;
                    if (sent >= limit) {
                        break;
                    }
                }
            } catch (IOException e) {
                // the other side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
