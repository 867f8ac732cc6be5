package dev.mlv.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Opens a URL in the user's browser for {@code mlv serve --open}: the command in {@code $BROWSER}
 * when set (its first entry of a {@code :}-separated list; {@code %s} stands for the URL, else the
 * URL is appended), otherwise the desktop's opener ({@code xdg-open}, {@code open} on macOS,
 * {@code rundll32} on Windows). Never waits for the browser.
 */
final class BrowserOpener {
    private BrowserOpener() {
    }

    /** The command that opens {@code url}. */
    static List<String> command(Map<String, String> env, String os, String url) {
        String browser = env.get("BROWSER");
        if (browser != null && !browser.isBlank()) {
            String first = browser.split(":")[0].strip();
            List<String> cmd = new ArrayList<>(List.of(first.split("\\s+")));
            boolean placed = false;
            for (int i = 0; i < cmd.size(); i++) {
                if (cmd.get(i).contains("%s")) {
                    cmd.set(i, cmd.get(i).replace("%s", url));
                    placed = true;
                }
            }
            if (!placed) {
                cmd.add(url);
            }
            return cmd;
        }
        String o = os.toLowerCase(Locale.ROOT);
        if (o.contains("mac")) {
            return List.of("open", url);
        }
        if (o.contains("win")) {
            return List.of("rundll32", "url.dll,FileProtocolHandler", url);
        }
        return List.of("xdg-open", url);
    }

    /** Starts the opener; false (the caller warns) when it cannot be started. */
    static boolean open(Map<String, String> env, String url) {
        try {
            new ProcessBuilder(command(env, System.getProperty("os.name", ""), url)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .start();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win") ? "NUL" : "/dev/null");
    }
}
