package dev.mlv.core.internal;

import dev.mlv.core.MlvException;
import dev.mlv.metrics.Metrics;
import dev.mlv.metrics.MetricsException;
import dev.mlv.metrics.MetricsFile;
import dev.mlv.metrics.MetricsParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * Reads the {@code metrics/*.json} (or {@code params/*.json}) files of a work tree or of a
 * commit's tree; both directories flatten by {@link MetricsParser}'s rules.
 */
public final class MetricsLoader {
    private MetricsLoader() {
    }

    /** The work tree's metrics; invalid files are an error naming the file and position. */
    public static Metrics fromWorkTree(Path workTree) throws MlvException {
        return fromWorkTree(workTree, MetricsFile.DIRECTORY);
    }

    /** The work tree's files of {@code directory} ({@link MetricsFile#PARAMS_DIRECTORY}, say). */
    public static Metrics fromWorkTree(Path workTree, String directory) throws MlvException {
        Path dir = workTree.resolve(directory.substring(0, directory.length() - 1));
        List<MetricsFile> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                    String rel = workTree.relativize(p).toString().replace('\\', '/');
                    if (MetricsFile.isJsonUnder(directory, rel)) {
                        if (Files.size(p) > MetricsParser.MAX_FILE_BYTES) {
                            throw new MlvException(rel + " is larger than " + MetricsParser.MAX_FILE_BYTES
                                    + " bytes; " + directory + " files hold a few values, keep large outputs in logs/");
                        }
                        files.add(new MetricsFile(directory, rel, Files.readAllBytes(p)));
                    }
                }
            } catch (IOException e) {
                throw new MlvException("cannot read " + directory + ": " + e.getMessage(), e);
            }
        }
        return parse(files);
    }

    /** The metrics of a tree; a file that cannot be parsed is an error naming it. */
    public static Metrics fromTree(ObjectReader reader, ObjectId tree) throws MlvException, IOException {
        List<MetricsFile> files = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            walk.setFilter(PathFilter.create("metrics"));
            while (walk.next()) {
                String path = walk.getPathString();
                if (!MetricsFile.isMetricsPath(path) || walk.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
                    continue;
                }
                ObjectLoader loader = reader.open(walk.getObjectId(0));
                if (loader.getSize() > MetricsParser.MAX_FILE_BYTES) {
                    throw new MlvException(path + " is larger than " + MetricsParser.MAX_FILE_BYTES + " bytes");
                }
                files.add(new MetricsFile(path, loader.getBytes()));
            }
        }
        return parse(files);
    }

    /**
     * The metrics of a commit's {@code metrics/} tree, given that subtree's id: listings look it
     * up once per branch and cache by it, so branches sharing the same metrics parse once.
     */
    static Metrics fromMetricsTree(ObjectReader reader, ObjectId metricsTree, String directory)
            throws MlvException, IOException {
        List<MetricsFile> files = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(metricsTree);
            walk.setRecursive(true);
            while (walk.next()) {
                String path = directory + walk.getPathString();
                if (!MetricsFile.isJsonUnder(directory, path) || walk.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
                    continue;
                }
                ObjectLoader loader = reader.open(walk.getObjectId(0));
                if (loader.getSize() > MetricsParser.MAX_FILE_BYTES) {
                    throw new MlvException(path + " is larger than " + MetricsParser.MAX_FILE_BYTES + " bytes");
                }
                files.add(new MetricsFile(directory, path, loader.getBytes()));
            }
        }
        return parse(files);
    }

    private static Metrics parse(List<MetricsFile> files) throws MlvException {
        try {
            return MetricsParser.parse(files);
        } catch (MetricsException e) {
            throw new MlvException(e.getMessage(), e);
        }
    }
}
