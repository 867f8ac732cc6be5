package dev.mlv.core.remote;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** git-lfs's rule for the LFS URL of a clone URL, case by case. */
class LfsEndpointTest {
    @Test
    void cloneUrlsBecomeLfsEndpointsAsInGitLfs() throws Exception {
        assertThat(LfsEndpoint.fromCloneUrl("https://github.com/org/repo.git", "origin"))
                .isEqualTo("https://github.com/org/repo.git/info/lfs");
        assertThat(LfsEndpoint.fromCloneUrl("https://github.com/org/repo", "origin"))
                .isEqualTo("https://github.com/org/repo.git/info/lfs");
        assertThat(LfsEndpoint.fromCloneUrl("https://github.com/org/repo/", "origin"))
                .isEqualTo("https://github.com/org/repo.git/info/lfs");
        assertThat(LfsEndpoint.fromCloneUrl("http://127.0.0.1:8080/models.git", "origin"))
                .isEqualTo("http://127.0.0.1:8080/models.git/info/lfs");
        assertThat(LfsEndpoint.fromCloneUrl("git@github.com:org/repo.git", "origin"))
                .isEqualTo("https://github.com/org/repo.git/info/lfs");
        assertThat(LfsEndpoint.fromCloneUrl("ssh://git@gitlab.example.com:2222/org/repo", "origin"))
                .isEqualTo("https://gitlab.example.com/org/repo.git/info/lfs");
        assertThat(LfsEndpoint.fromCloneUrl("https://user:secret@host.example/org/repo.git", "origin"))
                .isEqualTo("https://host.example/org/repo.git/info/lfs");
    }
}
