package dev.mlv.core.integrity;

import dev.mlv.core.AtomicFiles;
import dev.mlv.core.MlvRepository;
import dev.mlv.store.backend.Backend.IncompleteWrite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temp files of interrupted writes, wherever mlv leaves them: the store's {@code tmp/} (puts and
 * downloads stage packs there), {@code .git/mlv/tmp/} (the filter's spool),
 * {@code .git/mlv/remote-cache/NAME/tmp/} (repacks of {@code gc --remote}) and, beside their
 * targets, {@code .NAME.RANDOM.mlv-tmp} files in the work tree and {@code .git/info/} (switch,
 * {@code cat -o}, configuration writes). A command that finishes leaves none; a killed one leaves
 * them, and fsck lists them with their size so that the space they hold is not invisible.
 */
final class Leftovers {
    /** {@link AtomicFiles#TEMP_PATTERN} without its leading {@code .*}. */
    private static final String TEMP_SUFFIX = AtomicFiles.TEMP_PATTERN.substring(2);

    private Leftovers() {
    }

    /** One warning per leftover file of the repository and its store. */
    static List<String> find(MlvRepository repo) throws IOException {
        List<String> found = new ArrayList<>();
        Path store = repo.content().dir();
        for (IncompleteWrite w : repo.content().store().incompleteWrites()) {
            found.add(describe(repo, store.resolve(w.id()), w.size(), w.started())
                    + "; 'mlv gc' removes it once it is older than the grace period");
        }
        Path mlvDir = repo.gitDir().resolve("mlv");
        List<Path> dirs = new ArrayList<>(List.of(mlvDir.resolve("tmp")));
        Path caches = mlvDir.resolve("remote-cache");
        if (Files.isDirectory(caches)) {
            try (Stream<Path> remotes = Files.list(caches)) {
                remotes.map(r -> r.resolve("tmp")).forEach(dirs::add);
            }
        }
        for (Path dir : dirs) {
            for (Path p : files(dir)) {
                found.add(unused(repo, p));
            }
        }
        for (Path p : files(repo.gitDir().resolve("info"))) {
            if (isTempBeside(p)) {
                found.add(unused(repo, p));
            }
        }
        if (!repo.isBare()) {
            for (Path p : tempFilesInWorkTree(repo.directory())) {
                found.add(unused(repo, p));
            }
        }
        return found;
    }

    private static String unused(MlvRepository repo, Path file) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return display(repo, file) + ": temp file of an interrupted write (gone since)";
        }
        return describe(repo, file, a.size(), a.lastModifiedTime().toInstant())
                + "; no mlv command reads it: delete it once no mlv command is running";
    }

    private static String describe(MlvRepository repo, Path file, long size, Instant written) {
        return display(repo, file) + ": temp file of an interrupted write (" + size + " bytes, last written "
                + written.truncatedTo(ChronoUnit.SECONDS) + ")";
    }

    /** The path relative to the work tree when it is inside it (the usual {@code .git/...}). */
    private static String display(MlvRepository repo, Path file) {
        Path tree = repo.directory().toAbsolutePath().normalize();
        Path abs = file.toAbsolutePath().normalize();
        return (abs.startsWith(tree) ? tree.relativize(abs) : abs).toString()
                .replace(abs.getFileSystem().getSeparator(), "/");
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** {@link AtomicFiles#tempBeside} names: {@code .NAME.RANDOM.mlv-tmp}. */
    private static boolean isTempBeside(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
    }

    /** The work tree's temp files, outside {@code .git} (and nested repositories' {@code .git}). */
    private static List<Path> tempFilesInWorkTree(Path workTree) throws IOException {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(workTree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.getFileName() != null && dir.getFileName().toString().equals(".git")
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && isTempBeside(file)) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // removed meanwhile, or unreadable: not ours to judge
            }
        });
        found.sort(null);
        return found;
    }
}
