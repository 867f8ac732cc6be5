package dev.mlv.cli;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.StoreRemote;
import dev.mlv.core.remote.StoreRemoteConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv store remote set NAME URL [--endpoint E] [--region R] [--path-style] [--no-hard-links]}. */
@Command(name = "set", description = "Add or replace a store remote in .mlv/config.json; commit the file afterwards.",
        footer = {"", "Examples:", "  mlv store remote set origin s3://ml-artifacts/churn-model",
            "  mlv store remote set origin s3://models/team --endpoint http://minio:9000 --path-style",
            "  mlv store remote set origin /mnt/shared/mlv-store",
            "  mlv store remote set backup /srv/mlv-backup --no-hard-links   (packs copied, never shared with a clone's store)",
            "  mlv store remote set origin lfs                       (the Git remote origin's Git LFS server)",
            "  mlv store remote set origin https://git.example.com/team/models.git/info/lfs"})
final class StoreRemoteSetCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The store remote's name (push and pull use 'origin' by default).")
    private String name;

    @Parameters(index = "1", paramLabel = "URL", description = "file:///path, a path, s3://bucket/prefix, a Git LFS server's"
            + " https://HOST/REPO.git/info/lfs, or 'lfs' for the Git remote NAME's LFS server (credentials from git's"
            + " credential helpers; a directory named lfs is ./lfs).")
    private String url;

    @Option(names = "--endpoint", paramLabel = "E", description = "S3-compatible service URL, e.g. http://127.0.0.1:9000.")
    private String endpoint;

    @Option(names = "--region", paramLabel = "R", description = "S3 signing region (default: AWS_REGION or the profile's).")
    private String region;

    @Option(names = "--path-style", description = "Address the bucket as ENDPOINT/BUCKET (MinIO and most self-hosted services).")
    private boolean pathStyle;

    @Option(names = "--no-hard-links", description = "For a directory on this machine's file system: copy packs on push"
            + " and pull. By default a pack needed whole is hard-linked between the local store and the directory, as"
            + " git clone links a local repository's objects: fast, but the two stores then share disk blocks, so the"
            + " directory is no second copy of them.")
    private boolean noHardLinks;

    StoreRemoteSetCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            StoreRemoteConfig.SetResult r = new StoreRemoteConfig(repo).set(new StoreRemote(name, url, endpoint, region, pathStyle,
                    !noHardLinks));
            if (context.json()) {
                context.printJson(r);
            } else if (r.changed()) {
                context.info("store remote '" + name + "' is " + url + " in " + r.file()
                        + "; commit it (mlv train-commit -m 'Store remote') so clones find the content");
            } else {
                context.info("store remote '" + name + "' is already " + url + "; nothing changed");
            }
            return ExitCodes.OK;
        }
    }
}
