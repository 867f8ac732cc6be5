package dev.mlv.core.data;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.data.internal.DataModule;
import dev.mlv.core.data.internal.DataUrl;
import dev.mlv.core.data.internal.Submodules;
import dev.mlv.core.workspace.internal.WorkTreeSync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;

/**
 * {@code mlv data add URL [PATH]}: adds a data repository as the Git submodule named {@code data}
 * (at {@code data/} by default), checked out at the tip of its branch with its large files
 * materialised, and stages {@code .gitmodules} and the gitlink so the next train-commit records
 * them. On failure nothing is left behind.
 */
public final class DataAdd {
    private final MlvRepository repo;
    private String url;
    private String path = Submodules.DATA_PATH;
    private String branch;
    private Path baseDir;

    public DataAdd(MlvRepository repo) {
        this.repo = repo;
    }

    public DataAdd setUrl(String url) {
        this.url = url;
        return this;
    }

    public DataAdd setPath(String path) {
        this.path = path == null ? Submodules.DATA_PATH : path;
        return this;
    }

    public DataAdd setBranch(String branch) {
        this.branch = branch;
        return this;
    }

    /** The directory a relative local path is resolved against (the caller's current directory). */
    public DataAdd setBaseDir(Path dir) {
        this.baseDir = dir;
        return this;
    }

    /** What was added. {@code copiedFiles} counts large files copied from the data repository's store. */
    public record Result(String path, String url, String branch, String commit, int largeFiles, int copiedFiles) {
    }

    public Result call() throws MlvException {
        Path workTree = repo.workTree();
        DataUrl source = DataUrl.parse(url, baseDir == null ? workTree : baseDir);
        String rel = checkPath(path);
        Path target = workTree.resolve(rel);
        try {
            if (Files.exists(workTree.resolve(Submodules.GITMODULES))
                    && readModules(workTree).getString("submodule", Submodules.DATA_NAME, "url") != null) {
                throw MlvException.usage("this repository already has a data submodule at "
                        + Submodules.dataPath(repo.git()) + "/; move it with 'mlv data pull --rev REV'");
            }
            if (Files.exists(target) && !isEmptyDir(target)) {
                throw MlvException.usage(rel + " already exists; choose another PATH or move it away");
            }
            if (Files.exists(repo.gitDir().resolve("modules").resolve(Submodules.DATA_NAME))) {
                throw MlvException.usage(".git/modules/" + Submodules.DATA_NAME + " already exists (a data submodule"
                        + " removed earlier?); delete it, then add the data repository again");
            }
        } catch (IOException e) {
            throw new MlvException("cannot read " + Submodules.GITMODULES + ": " + e.getMessage(), e);
        }
        DataModule module = DataModule.create(repo, rel, source, branch);
        boolean done = false;
        try {
            String tracked = module.cloneRepository();
            RevCommit commit = module.resolve(null);
            int copied = module.importContent(commit);
            int large;
            try (var reader = module.git().newObjectReader()) {
                large = WorkTreeSync.largeFilesToWrite(reader, null, commit.getTree()).size();
            }
            module.checkout(commit);
            configure(workTree, module, source, tracked);
            Submodules.stageGitlink(repo.git(), rel, commit);
            try (Git g = new Git(repo.git())) {
                g.add().addFilepattern(Submodules.GITMODULES).call();
            }
            done = true;
            return new Result(rel, source.url(), tracked, commit.name(), large, copied);
        } catch (IOException | GitAPIException e) {
            throw new MlvException("cannot add the data repository " + source.url() + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                module.deleteClone();
            }
            module.close();
        }
    }

    private static FileBasedConfig readModules(Path workTree) throws IOException {
        FileBasedConfig modules = new FileBasedConfig(workTree.resolve(Submodules.GITMODULES).toFile(), FS.DETECTED);
        try {
            modules.load();
        } catch (ConfigInvalidException e) {
            throw new IOException(e.getMessage(), e);
        }
        return modules;
    }

    /** {@code .gitmodules}, {@code submodule.data.*} in .git/config, and the module configured like the superproject. */
    private void configure(Path workTree, DataModule module, DataUrl source, String tracked) throws IOException, MlvException {
        FileBasedConfig modules = readModules(workTree);
        modules.setString("submodule", Submodules.DATA_NAME, "path", module.path());
        modules.setString("submodule", Submodules.DATA_NAME, "url", source.url());
        modules.setString("submodule", Submodules.DATA_NAME, "branch", tracked);
        modules.save();
        // A separate config object: saving the repository's own would persist its in-memory settings.
        FileBasedConfig local = new FileBasedConfig(repo.commonDir().resolve("config").toFile(), FS.DETECTED);
        try {
            local.load();
        } catch (ConfigInvalidException e) {
            throw new IOException(e.getMessage(), e);
        }
        local.setString("submodule", Submodules.DATA_NAME, "url", source.url());
        local.save();
        module.configure();
    }

    private static String checkPath(String p) throws MlvException {
        String rel = p.replace('\\', '/');
        while (rel.endsWith("/")) {
            rel = rel.substring(0, rel.length() - 1);
        }
        if (rel.isEmpty() || rel.startsWith("/") || rel.equals("..") || rel.startsWith("../") || rel.contains("/../")
                || rel.endsWith("/..") || rel.equals(".") || rel.startsWith(".git")) {
            throw MlvException.usage("'" + p + "' is not a path inside the repository; give a relative path such as data");
        }
        return rel;
    }

    private static boolean isEmptyDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
