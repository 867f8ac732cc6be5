package dev.mlv.cli;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.serve.MlvServer;
import dev.mlv.serve.ServeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlv serve [--bind ADDR] [--port N] [--token-file F]}. */
@Command(
        name = "serve",
        description = {
            "Serve the repository's branches read-only over HTTP until interrupted:",
            "  GET /v1/refs, GET /v1/refs/BRANCH/metrics, GET /v1/refs/BRANCH/files/PATH (Range, ETag, If-None-Match).",
            "A branch name with slashes is sent with them encoded: /v1/refs/exp%%2Fx/files/models/model.onnx.",
            "Also a read-only Git host for stock git and git-lfs: git clone http://HOST:PORT/NAME.git (NAME: the work tree's",
            "folder), then git lfs pull; uploads through the Git LFS Batch API only with --token-file.",
            "Listens on loopback unless --bind says otherwise; --token-file requires the token as 'Authorization: Bearer TOKEN'",
            "or as the Basic-auth password (any user name), as git's credential helpers send it.",
            "A web view for people at /ui/ (docs/ui.md); with --token-file a browser signs in once with the token.",
        },
        footer = {
            "",
            "Examples:",
            "  mlv serve --port 8080",
            "  curl -r 0-1023 http://127.0.0.1:8080/v1/refs/prod/files/models/model.onnx",
            "  mlv serve --bind 0.0.0.0 --port 8080 --token-file /run/secrets/mlv-token",
            "  git clone http://127.0.0.1:8080/my-repo.git && cd my-repo && git lfs pull   # no mlv needed",
            "  mlv serve --port 0 --json     # prints {url, refs, gitUrl, ui, workTree, tokenRequired} once listening",
            "  mlv serve --open              # and opens the web view (experiments, compare, environments, A/B tests, files)",
        })
final class ServeCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = ServeOptions.LOOPBACK,
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
    private String bind;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks one).")
    private int port;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Require this file's token (Bearer, or the Basic-auth password); also enables Git LFS uploads.")
    private Path tokenFile;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "8", description = "Request threads (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--open", description = "Open the web view (/ui/) in the browser once listening ($BROWSER, else the desktop's opener).")
    private boolean open;

    /** The {@code --json} document, printed once the server listens. */
    record Serving(String url, String refs, String gitUrl, String ui, String workTree, boolean tokenRequired) {
    }

    ServeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        String token = tokenFile == null ? null : readToken(context.directory().resolve(tokenFile));
        if (token == null && !bind.equals(ServeOptions.LOOPBACK) && !bind.equals("localhost") && !bind.equals("::1")) {
            context.warn("serving on " + bind + " without --token-file: anyone who can reach this address can read every branch");
        }
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session());
             MlvServer server = MlvServer.start(repo, new ServeOptions(bind, port, token, threads))) {
            CountDownLatch stopped = new CountDownLatch(1);
            Thread worker = Thread.currentThread();
            Thread hook = new Thread(() -> {
                worker.interrupt();
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "mlv-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            String ui = server.uri() + "ui/";
            context.err().println("mlv: serving " + repo.directory() + " at " + server.uri() + "v1/refs"
                    + " and as Git at " + server.gitUri() + "; web view at " + ui
                    + (token == null ? "" : " (token required)") + " (stop with Ctrl-C)");
            context.err().flush();
            if (context.json()) {
                // once listening, so a script that started it with --port 0 learns where
                context.printJson(new Serving(server.uri().toString(), server.uri() + "v1/refs", server.gitUri().toString(), ui,
                        repo.directory().toString(),
                        token != null));
                context.out().flush();
            }
            if (open && !BrowserOpener.open(context.environment().env(), ui)) {
                context.warn("cannot start a browser; open " + ui + " yourself (or set $BROWSER)");
            }
            try {
                new CountDownLatch(1).await(); // until interrupted
            } catch (InterruptedException e) {
                context.note("mlv: stopped");
            } finally {
                stopped.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down: the hook is running
                }
            }
            return ExitCodes.OK;
        }
    }

    private static String readToken(Path file) throws MlvException {
        try {
            String token = Files.readString(file).strip();
            if (token.isEmpty() || token.contains("\n")) {
                throw MlvException.usage("the token file " + file + " must hold one non-empty line");
            }
            return token;
        } catch (IOException e) {
            throw MlvException.notFound("cannot read the token file " + file + ": " + e.getMessage());
        }
    }
}
