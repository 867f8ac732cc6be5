package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who mlv commits and tags as: git's rules, from the command's environment ({@code HOME},
 * {@code XDG_CONFIG_HOME}, {@code GIT_*}), never Java's {@code user.home} or the OS user; and no
 * commit, tag or record at all without an identity.
 */
class IdentityTest {
    @TempDir
    Path root;
    Path home;
    Path repo;

    @BeforeEach
    void setUp() {
        home = root.resolve("home"); // not this JVM's user.home: what a CI container's HOME is
        repo = root.resolve("p");
        assertThat(home.toString()).isNotEqualTo(System.getProperty("user.home"));
    }

    /** mlv in {@code dir} with no identity variables and HOME/XDG_CONFIG_HOME of this test. */
    private CliHarness bare(Path dir) {
        return new CliHarness(dir).withoutIdentityVariables()
                .env("HOME", home.toString())
                .env("XDG_CONFIG_HOME", home.resolve(".config").toString());
    }

    private static CliHarness.Result ok(CliHarness mlv, String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private RevCommit head(String ref) throws IOException {
        try (Repository git = new FileRepositoryBuilder().setWorkTree(repo.toFile()).setup().build();
             RevWalk walk = new RevWalk(git)) {
            return walk.parseCommit(git.resolve(ref));
        }
    }

    private static String who(PersonIdent p) {
        return p.getName() + " <" + p.getEmailAddress() + ">";
    }

    /** Every ref and what it points at. */
    private Map<String, ObjectId> refs() throws IOException {
        try (Repository git = new FileRepositoryBuilder().setWorkTree(repo.toFile()).setup().build()) {
            Map<String, ObjectId> refs = new TreeMap<>();
            for (Ref r : git.getRefDatabase().getRefs()) {
                refs.put(r.getName(), r.getObjectId());
            }
            return refs;
        }
    }

    @Test
    void theIdentityComesFromHomeGitconfigNotJavasUserHome() throws Exception {
        write(home.resolve(".gitconfig"), "[user]\n\tname = Home User\n\temail = home@example.com\n");
        ok(bare(root), "init", "p");
        RevCommit first = head("HEAD");
        assertThat(who(first.getAuthorIdent())).isEqualTo("Home User <home@example.com>");
        assertThat(who(first.getCommitterIdent())).isEqualTo("Home User <home@example.com>");
    }

    @Test
    void theIdentityComesFromXdgConfigHome() throws Exception {
        Path xdg = root.resolve("xdg");
        write(xdg.resolve("git/config"), "[user]\n\tname = Xdg User\n\temail = xdg@example.com\n");
        ok(bare(root).env("XDG_CONFIG_HOME", xdg.toString()), "init", "p");
        assertThat(who(head("HEAD").getAuthorIdent())).isEqualTo("Xdg User <xdg@example.com>");

        // without XDG_CONFIG_HOME: $HOME/.config/git/config; ~/.gitconfig, read after it, wins per key
        write(home.resolve(".config/git/config"), "[user]\n\tname = Default Xdg\n\temail = default-xdg@example.com\n");
        write(home.resolve(".gitconfig"), "[user]\n\temail = dot@example.com\n");
        CliHarness mlv = bare(repo).unsetEnv("XDG_CONFIG_HOME");
        write(repo.resolve("models/m.bin"), "m1");
        ok(mlv, "train-commit", "-m", "m1");
        assertThat(who(head("HEAD").getAuthorIdent())).isEqualTo("Default Xdg <dot@example.com>");
    }

    @Test
    void environmentVariablesOverrideConfigPerRole() throws Exception {
        write(home.resolve(".gitconfig"), "[user]\n\tname = Config User\n\temail = config@example.com\n");
        ok(bare(root), "init", "p");
        write(repo.resolve("models/m.bin"), "m1");
        ok(bare(repo).env("GIT_AUTHOR_NAME", "Env Author").env("GIT_AUTHOR_EMAIL", "env-author@example.com")
                .env("GIT_COMMITTER_EMAIL", "env-committer@example.com"), "train-commit", "-m", "m1");
        RevCommit c = head("HEAD");
        assertThat(who(c.getAuthorIdent())).isEqualTo("Env Author <env-author@example.com>");
        assertThat(who(c.getCommitterIdent())).isEqualTo("Config User <env-committer@example.com>");
    }

    @Test
    void repositoryConfigWinsOverGlobalAndAuthorKeysOverUser() throws Exception {
        write(home.resolve(".gitconfig"), "[user]\n\tname = Global\n\temail = global@example.com\n");
        ok(bare(root), "init", "p");
        Files.writeString(repo.resolve(".git/config"), "[user]\n\tname = Local\n[author]\n\temail = local-author@example.com\n",
                java.nio.file.StandardOpenOption.APPEND);
        write(repo.resolve("models/m.bin"), "m1");
        ok(bare(repo), "train-commit", "-m", "m1");
        RevCommit c = head("HEAD");
        assertThat(who(c.getAuthorIdent())).isEqualTo("Local <local-author@example.com>");
        assertThat(who(c.getCommitterIdent())).isEqualTo("Local <global@example.com>");
    }

    @Test
    void theEmailVariableIsTheLastResortForTheEmail() throws Exception {
        ok(bare(root).env("GIT_AUTHOR_NAME", "A").env("GIT_COMMITTER_NAME", "C").env("EMAIL", "fallback@example.com"),
                "init", "p");
        assertThat(who(head("HEAD").getAuthorIdent())).isEqualTo("A <fallback@example.com>");
        assertThat(who(head("HEAD").getCommitterIdent())).isEqualTo("C <fallback@example.com>");
    }

    @Test
    void initWithoutAnIdentityRefusesAndCreatesNothing() {
        CliHarness.Result r = bare(root).run("init", "p");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).startsWith("mlv: author identity unknown: no name and no email")
                .contains("nothing was changed")
                .contains("git config --global user.name")
                .contains("GIT_AUTHOR_NAME, GIT_AUTHOR_EMAIL, GIT_COMMITTER_NAME and GIT_COMMITTER_EMAIL");
        assertThat(r.stderr().lines().count()).isEqualTo(2); // the problem, then the hint
        assertThat(repo).doesNotExist();
    }

    @Test
    void withoutAnIdentityTrainCommitPromoteRecordAndRollbackRefuseAndChangeNothing() throws Exception {
        ok(new CliHarness(root), "init", "p");
        CliHarness known = new CliHarness(repo);
        write(repo.resolve("models/m.bin"), "m1");
        write(repo.resolve("metrics/metrics.json"), "{\"accuracy\": 0.8}");
        ok(known, "train-commit", "-m", "m1");
        ok(known, "promote", "main", "prod", "--create");
        ok(known, "switch", "--create", "exp");
        write(repo.resolve("models/m.bin"), "m2");
        ok(known, "train-commit", "-m", "m2");
        ok(known, "promote", "exp", "prod");
        write(repo.resolve("models/m.bin"), "m3");
        Map<String, ObjectId> before = refs();
        CliHarness unknown = bare(repo);

        CliHarness.Result commit = unknown.run("train-commit", "-m", "m3", "--branch", "exp2");
        assertThat(commit.exitCode()).as(commit.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(commit.stderr()).startsWith("mlv: author identity unknown").contains("git config --global user.email");
        assertThat(refs()).isEqualTo(before); // no exp2, HEAD still on exp
        assertThat(head("HEAD")).isEqualTo(head("refs/heads/exp"));

        // only the committer is given: a commit still needs an author
        CliHarness.Result half = bare(repo).env("GIT_COMMITTER_NAME", "C").env("GIT_COMMITTER_EMAIL", "c@example.com")
                .run("train-commit", "-m", "m3");
        assertThat(half.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(half.stderr()).startsWith("mlv: author identity unknown: no name and no email");
        assertThat(refs()).isEqualTo(before);

        ok(known, "train-commit", "-m", "m3"); // the work tree was left as it was
        before = refs();
        Path csv = root.resolve("rows.csv");
        Files.writeString(csv, "id,score\n1,0.5\n");
        for (List<String> args : List.of(
                List.of("promote", "exp", "prod"),
                List.of("record", "prod", csv.toString(), "--append-to", "monitoring/predictions.csv"),
                List.of("rollback", "prod"))) {
            CliHarness.Result r = unknown.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.stderr()).as(args.toString()).startsWith("mlv: committer identity unknown")
                    .contains("nothing was changed");
            assertThat(refs()).as(args.toString()).isEqualTo(before); // no branch moved, no tag made
        }

        // the tagger of a promotion is the committer identity, from config here
        write(home.resolve(".gitconfig"), "[user]\n\tname = Release Bot\n\temail = bot@example.com\n");
        ok(bare(repo), "promote", "exp", "prod");
        try (Repository git = new FileRepositoryBuilder().setWorkTree(repo.toFile()).setup().build();
             RevWalk walk = new RevWalk(git)) {
            RevTag tag = walk.parseTag(git.resolve("refs/tags/promote/prod/3"));
            assertThat(who(tag.getTaggerIdent())).isEqualTo("Release Bot <bot@example.com>");
        }
    }

    @Test
    void aDryRunPromotionNeedsNoIdentity() throws Exception {
        ok(new CliHarness(root), "init", "p");
        CliHarness known = new CliHarness(repo);
        ok(known, "promote", "main", "prod", "--create");
        ok(known, "switch", "--create", "exp");
        write(repo.resolve("models/m.bin"), "m1");
        ok(known, "train-commit", "-m", "m1");
        ok(known, "switch", "prod");
        write(repo.resolve("monitoring/rows.csv"), "id\n1\n");
        ok(known, "train-commit", "-m", "prod's monitoring"); // diverged: promote would merge
        Map<String, ObjectId> before = refs();
        CliHarness.Result r = bare(repo).run("promote", "exp", "prod", "--dry-run");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(refs()).isEqualTo(before);
    }
}
