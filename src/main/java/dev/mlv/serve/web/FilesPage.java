package dev.mlv.serve.web;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.serving.TreeListing;
import java.util.Map;
import java.util.TreeMap;

/**
 * One folder of a commit's tree: sub-folders (with their file counts and total size) and files
 * (with sizes, large files marked), each file a download link to its immutable
 * {@code /v1/commits/ID/files/PATH} URL (Range, ETag). A branch or tag is listed at the commit it
 * names now, so every link on the page is of that one commit.
 */
final class FilesPage {
    private final MlvRepository repo;

    FilesPage(MlvRepository repo) {
        this.repo = repo;
    }

    private record Folder(int files, long bytes) {
        Folder plus(long size) {
            return new Folder(files + 1, bytes + size);
        }
    }

    String render(Query q, String repository) throws MlvException {
        String ref = q.first("ref", "HEAD");
        String path = q.first("path", "");
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        TreeListing.Result listing = new TreeListing(repo).setPrefix(path).call(resolve(ref));
        Map<String, Folder> folders = new TreeMap<>();
        Map<String, TreeListing.Entry> files = new TreeMap<>();
        for (TreeListing.Entry e : listing.entries()) {
            int slash = e.path().indexOf('/');
            long size = e.file() == null ? 0 : e.file().size();
            if (slash >= 0) {
                folders.merge(e.path().substring(0, slash), new Folder(1, size), (a, b) -> a.plus(b.bytes()));
            } else {
                files.put(e.path(), e);
            }
        }
        String base = path.isEmpty() ? "" : path + "/";
        Html h = Html.page("Files", "files", repository).raw("<h1>Files</h1>")
                .raw("<form method=\"get\" action=\"/ui/files\" class=\"query\"><label>Branch, tag or commit <input name=\"ref\" value=\"")
                .text(ref).raw("\"></label> <button type=\"submit\">Show</button></form>");
        h.raw("<p class=\"crumbs\">").text(ref).raw(" at <span class=\"commit\" id=\"commit\">").text(listing.commit()).raw("</span>: ");
        h.raw("<a href=\"/ui/files?ref=").text(Html.query(ref)).raw("\">/</a>");
        String sofar = "";
        for (String part : path.isEmpty() ? new String[0] : path.split("/")) {
            sofar = sofar.isEmpty() ? part : sofar + "/" + part;
            h.raw(" <a href=\"/ui/files?ref=").text(Html.query(ref)).raw("&amp;path=").text(Html.query(sofar)).raw("\">").text(part).raw("</a> /");
        }
        h.raw("</p><table class=\"grid\" id=\"files\"><thead><tr><th>name</th><th>size</th><th>kind</th></tr></thead><tbody>");
        folders.forEach((name, f) -> h.raw("<tr class=\"folder\"><td><a href=\"/ui/files?ref=").text(Html.query(ref)).raw("&amp;path=")
                .text(Html.query(base + name)).raw("\">").text(name).raw("/</a></td><td class=\"num\">").text(Html.bytes(f.bytes()))
                .raw("</td><td>").text(f.files() + (f.files() == 1 ? " file" : " files")).raw("</td></tr>"));
        files.forEach((name, e) -> {
            h.raw("<tr class=\"file\"><td>");
            if (e.file() != null) {
                h.raw("<a href=\"/v1/commits/").raw(listing.commit()).raw("/files/").text(segments(base + name)).raw("\" download>")
                        .text(name).raw("</a></td><td class=\"num\">").text(Html.bytes(e.file().size())).raw("</td><td>")
                        .raw(e.file().large() ? "large file" : "").raw(e.kind() == TreeListing.Kind.EXECUTABLE ? " executable" : "");
            } else {
                h.text(name).raw("</td><td></td><td>").text(e.kind() == TreeListing.Kind.SYMLINK ? "link to " + e.target() : "submodule at " + e.target());
            }
            h.raw("</td></tr>");
        });
        return h.raw("</tbody></table>").finish();
    }

    /**
     * A branch or tag by its full ref name (so an expression such as {@code main~1} is never
     * evaluated), a full commit id, or HEAD.
     */
    private String resolve(String ref) throws MlvException {
        if (ref.equals("HEAD") || ref.matches("[0-9a-f]{40}")) {
            return ref;
        }
        if (ref.matches(".*([~^:?*\\[\\\\]|\\.\\.|@\\{).*") || ref.startsWith("-")) {
            throw MlvException.notFound("'" + ref + "' is not a branch, tag or full commit id");
        }
        TreeListing probe = new TreeListing(repo);
        for (String full : new String[] {"refs/heads/" + ref, "refs/tags/" + ref}) {
            try {
                probe.commitOf(full);
                return full;
            } catch (MlvException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        throw MlvException.notFound("no branch or tag '" + ref + "'");
    }

    /** A repository path as URL path segments, each percent-encoded. */
    private static String segments(String path) {
        StringBuilder b = new StringBuilder();
        for (String s : path.split("/")) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(Html.query(s));
        }
        return b.toString();
    }
}
