package dev.mlv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Submodule URLs from a cloned .gitmodules are untrusted: transports that run commands are refused. */
class SubmoduleUrlsTest {
    @Test
    void extAndOtherRemoteHelpersAreRefusedFromGitmodules() {
        String gitmodules = "[submodule \"data\"]\n\tpath = data\n\turl = ext::sh -c touch% /tmp/pwned\n";
        assertThatThrownBy(() -> SubmoduleUrls.checkGitmodules(gitmodules))
                .isInstanceOf(MlvException.class)
                .hasMessageContaining("submodule 'data'").hasMessageContaining("ext::")
                .satisfies(e -> assertThat(((MlvException) e).kind()).isEqualTo(ErrorKind.ERROR));
        for (String url : new String[] {"EXT::sh -c id", "fd::17", "-oProxyCommand=id", "ssh://-oProxyCommand=id/x",
            "https://host/repo\n[core]", "weird://host/x", ""}) {
            assertThat(SubmoduleUrls.problem(url)).as(url).isNotNull();
        }
    }

    @Test
    void ordinaryUrlsPass() throws Exception {
        for (String url : new String[] {"https://github.com/org/data.git", "ssh://git@host/data.git", "git@github.com:org/data.git",
            "../data.git", "./data", "/srv/git/data.git", "file:///srv/git/data.git", "git://host/data"}) {
            assertThat(SubmoduleUrls.problem(url)).as(url).isNull();
        }
        SubmoduleUrls.checkGitmodules("[submodule \"data\"]\n\tpath = data\n\turl = https://example.com/data.git\n");
    }
}
