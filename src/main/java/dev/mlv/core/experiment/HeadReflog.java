package dev.mlv.core.experiment;

import dev.mlv.core.AtomicFiles;
import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * HEAD's reflog ({@code .git/logs/HEAD}, git's files backend) without the entries for given
 * commits, as {@code git reflog expire --expire-unreachable=now} drops them: an entry goes when
 * its old or new commit is one of them. Edited under {@code HEAD.lock}, git's own lock for HEAD,
 * by writing a new file beside it and renaming it over; streamed, line by line, bytes as they are
 * (ISO-8859-1 maps each byte to one char and back, whatever encoding a message has).
 */
final class HeadReflog {
    /** "old new ident\tmessage": two full hex ids and a space each. */
    private static final int IDS = 2 * Constants.OBJECT_ID_STRING_LENGTH + 1;

    private HeadReflog() {
    }

    private static Path log(Repository git) {
        return git.getDirectory().toPath().resolve(Constants.LOGS).resolve(Constants.HEAD);
    }

    private static void requireFiles(Repository git) throws MlvException {
        if ("reftable".equalsIgnoreCase(git.getConfig().getString("extensions", null, "refStorage"))) {
            throw MlvException.usage("this repository keeps its refs in a reftable; exp rm edits the files backend's"
                    + " reflogs only; delete the branch with 'git branch -D' and expire reflogs with 'git reflog expire'");
        }
    }

    /** How many entries {@link Lock#drop} would remove. */
    static int count(Repository git, Set<ObjectId> commits) throws MlvException, IOException {
        requireFiles(git);
        Path log = log(git);
        if (commits.isEmpty() || !Files.exists(log)) {
            return 0;
        }
        int n = 0;
        try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.ISO_8859_1)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (names(line, commits)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Whether a reflog line's old or new id is one of {@code commits}. */
    private static boolean names(String line, Set<ObjectId> commits) {
        if (line.length() < IDS) {
            return false; // not an entry git would parse either: kept as it is
        }
        try {
            ObjectId old = ObjectId.fromString(line.substring(0, Constants.OBJECT_ID_STRING_LENGTH));
            ObjectId now = ObjectId.fromString(line.substring(Constants.OBJECT_ID_STRING_LENGTH + 1, IDS));
            return commits.contains(old) || commits.contains(now);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The branch's own reflog file, which JGit and git delete with the branch; gone in any case. */
    static void deleteBranchLog(Repository git, String refName) throws IOException {
        Files.deleteIfExists(git.getDirectory().toPath().resolve(Constants.LOGS).resolve(refName));
    }

    static Lock lock(Repository git) throws MlvException, IOException {
        requireFiles(git);
        Path lockFile = git.getDirectory().toPath().resolve(Constants.HEAD + ".lock");
        try {
            Files.createFile(lockFile);
        } catch (FileAlreadyExistsException e) {
            throw new MlvException(ErrorKind.CONFLICT, lockFile + " exists: another git command is running (or one was"
                    + " killed: then delete it); nothing was removed");
        }
        return new Lock(git, lockFile);
    }

    /** HEAD.lock held; closing releases it. */
    static final class Lock implements AutoCloseable {
        private final Repository git;
        private final Path lockFile;

        private Lock(Repository git, Path lockFile) {
            this.git = git;
            this.lockFile = lockFile;
        }

        /** Rewrites HEAD's reflog without the entries naming {@code commits}; returns how many went. */
        int drop(Set<ObjectId> commits) throws IOException {
            Path log = log(git);
            if (commits.isEmpty() || !Files.exists(log)) {
                return 0;
            }
            int dropped = 0;
            Path tmp = AtomicFiles.tempBeside(log);
            try {
                try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.ISO_8859_1);
                     FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    BufferedWriter out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(ch),
                            StandardCharsets.ISO_8859_1), 1 << 16);
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (names(line, commits)) {
                            dropped++;
                        } else {
                            out.write(line);
                            out.write('\n');
                        }
                    }
                    out.flush();
                    ch.force(true);
                }
                if (dropped > 0) {
                    try {
                        Files.move(tmp, log, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(tmp, log, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return dropped;
        }

        @Override
        public void close() throws IOException {
            Files.deleteIfExists(lockFile);
        }
    }
}
