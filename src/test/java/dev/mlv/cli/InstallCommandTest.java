package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlv install}, {@code mlv uninstall} and the install {@code mlv init} does, in-process. */
class InstallCommandTest {
    @TempDir
    Path dir;

    private CliHarness.Result run(String... args) {
        return new CliHarness(dir).run(args);
    }

    private static FileBasedConfig config(Path file) throws Exception {
        FileBasedConfig config = new FileBasedConfig(null, file.toFile(), FS.DETECTED);
        config.load();
        return config;
    }

    @Test
    void initConfiguresTheFilterForPlainGitInGitConfig() throws Exception {
        CliHarness.Result r = run("--json", "init", "repo");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.stdout());
        assertThat(doc.get("filterProcess").asText()).isEqualTo("mlv filter-process");
        assertThat(doc.get("changes").toString()).contains("filter.mlv.process in .git/config");

        FileBasedConfig config = config(dir.resolve("repo/.git/config"));
        assertThat(config.getString("filter", "mlv", "process")).isEqualTo("mlv filter-process");
        assertThat(config.getBoolean("filter", "mlv", "required", false)).isTrue();
        // JGit's in-process switch stays in memory: plain git must not see it
        assertThat(config.getNames("filter", "mlv")).containsExactlyInAnyOrder("process", "required");

        CliHarness.Result again = run("init", "repo");
        assertThat(again.stdout()).contains("already set up").contains("nothing changed");
    }

    @Test
    void installWritesTheLauncherQuotedForTheShellAndIsIdempotent() throws Exception {
        assertThat(run("init", "repo").exitCode()).isZero();
        CliHarness.Result r = run("-C", "repo", "install", "--launcher", "/opt/my tools/mlv");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("filter.mlv.process = '/opt/my tools/mlv' filter-process");
        FileBasedConfig config = config(dir.resolve("repo/.git/config"));
        assertThat(config.getString("filter", "mlv", "process")).isEqualTo("'/opt/my tools/mlv' filter-process");
        assertThat(config.getString("core", null, "repositoryformatversion")).isEqualTo("0");

        CliHarness.Result again = run("-C", "repo", "install", "--local", "--launcher", "/opt/my tools/mlv");
        assertThat(again.stdout()).contains("already configured").contains("nothing changed");
    }

    @Test
    void uninstallRemovesWhatInstallWroteAndKeepsTheRest() throws Exception {
        assertThat(run("init", "repo").exitCode()).isZero();
        CliHarness.Result r = run("-C", "repo", "--json", "uninstall");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.stdout());
        assertThat(doc.get("removed").toString()).contains("filter.mlv.process", "filter.mlv.required");
        FileBasedConfig config = config(dir.resolve("repo/.git/config"));
        assertThat(config.getSubsections("filter")).doesNotContain("mlv");
        assertThat(config.getString("core", null, "repositoryformatversion")).isEqualTo("0");

        assertThat(run("-C", "repo", "uninstall").stdout()).contains("not configured").contains("nothing changed");
    }

    @Test
    void lfsAgentIsRegisteredStandaloneLocallyOnlyAndUninstallRemovesIt() throws Exception {
        Path repo = dir.resolve("plain");
        org.eclipse.jgit.api.Git.init().setDirectory(repo.toFile()).call().close();
        CliHarness.Result r = run("-C", "plain", "install", "--lfs-agent", "--store", "chunks", "--launcher", "/opt/mlv");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        FileBasedConfig config = config(repo.resolve(".git/config"));
        assertThat(config.getString("lfs", "customtransfer.mlv", "path")).isEqualTo("/opt/mlv");
        assertThat(config.getString("lfs", "customtransfer.mlv", "args")).isEqualTo("lfs-agent --store chunks");
        assertThat(config.getString("lfs", "customtransfer.mlv", "concurrent")).isEqualTo("false");
        assertThat(config.getString("lfs", null, "standalonetransferagent")).isEqualTo("mlv");
        assertThat(repo.resolve(".git/mlv")).as("so 'mlv store remote set' works in a plain Git LFS repository").isDirectory();

        // globally the agent is only registered: other Git LFS repositories keep their server
        assertThat(run("install", "--global", "--lfs-agent", "--launcher", "/opt/mlv").exitCode()).isZero();
        FileBasedConfig global = config(dir.resolve(".home/.gitconfig"));
        assertThat(global.getString("lfs", "customtransfer.mlv", "args")).isEqualTo("lfs-agent");
        assertThat(global.getString("lfs", null, "standalonetransferagent")).isNull();

        assertThat(run("-C", "plain", "install", "--store", "x").exitCode()).as("--store without --lfs-agent")
                .isEqualTo(ExitCodes.USAGE);
        CliHarness.Result u = run("-C", "plain", "--json", "uninstall");
        assertThat(u.stdout()).contains("lfs.customtransfer.mlv.path", "lfs.standalonetransferagent");
        config = config(repo.resolve(".git/config"));
        assertThat(config.getSubsections("lfs")).doesNotContain("customtransfer.mlv");
        assertThat(config.getString("lfs", null, "standalonetransferagent")).isNull();
    }

    @Test
    void installExplainsGitLfsHooksAnMlvRepositoryHasAndThePrePushHookTheAgentNeeds() throws Exception {
        assertThat(run("init", "repo").exitCode()).isZero();
        Path hooks = Files.createDirectories(dir.resolve("repo/.git/hooks"));
        Files.writeString(hooks.resolve("pre-push"), "#!/bin/sh\ngit lfs pre-push \"$@\"\n");
        CliHarness.Result r = run("-C", "repo", "--json", "install");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("Git LFS hooks are installed (.git/hooks/pre-push)", "git lfs uninstall --local");
        assertThat(new ObjectMapper().readTree(r.stdout()).get("warnings").toString()).contains("git lfs uninstall --local");

        // with the agent the hook is what uploads: no advice to remove it, and a warning when it is missing
        CliHarness.Result agent = run("-C", "repo", "install", "--lfs-agent", "--launcher", "/opt/mlv");
        assertThat(agent.stderr()).doesNotContain("git lfs uninstall").doesNotContain("pre-push hook is not installed");
        Files.delete(hooks.resolve("pre-push"));
        CliHarness.Result missing = run("-C", "repo", "install", "--lfs-agent", "--launcher", "/opt/mlv");
        assertThat(missing.stderr()).contains("pre-push hook is not installed", "git lfs install --local");
    }

    @Test
    void globalInstallWritesTheGitconfigInHome() throws Exception {
        Path home = dir.resolve(".home"); // the harness's HOME
        CliHarness.Result r = run("install", "--global", "--launcher", "/usr/local/bin/mlv");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path gitconfig = home.resolve(".gitconfig");
        assertThat(config(gitconfig).getString("filter", "mlv", "process")).isEqualTo("/usr/local/bin/mlv filter-process");

        assertThat(run("uninstall", "--global").exitCode()).isZero();
        assertThat(config(gitconfig).getSubsections("filter")).isEmpty();
    }

    @Test
    void localAndGlobalTogetherIsAUsageError() {
        CliHarness.Result r = run("install", "--local", "--global");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("--local and --global");
    }

    @Test
    void localInstallOutsideARepositoryIsNotFound() throws Exception {
        Files.createDirectories(dir.resolve("plain"));
        CliHarness.Result r = run("-C", "plain", "install");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.stderr()).contains("not in a Git repository").contains("--global");
    }

    @Test
    void filterProcessIsHiddenFromTheListingButHasHelp() {
        assertThat(run("--help").stdout()).doesNotContain("filter-process").contains("install").contains("import-lfs");
        CliHarness.Result help = run("help", "filter-process");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("Usage: mlv filter-process").contains("protocol");
    }

    @Test
    void filterProcessStartedByHandRefusesPolitelyWithoutWritingToStdout() throws Exception {
        assertThat(run("init", "repo").exitCode()).isZero();
        CliHarness.Result r = new CliHarness(dir.resolve("repo")).runWithInput("hello\n".getBytes(), "filter-process");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.stdoutBytes()).isEmpty();
        assertThat(r.stderr()).contains("filter protocol").contains("started by git");
    }
}
