package dev.mlv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.core.MlvConfig;
import dev.mlv.core.StoreRemote;
import org.junit.jupiter.api.Test;

/** Which size limit per object mlv assumes for a Git LFS store remote before it pushes. */
class LfsObjectSizeLimitTest {
    private static long limit(String url) {
        StoreRemote remote = new StoreRemote("origin", url, null, null, false);
        return ContentRemote.maxObjectSize(remote.writeTo(MlvConfig.defaults()), remote);
    }

    @Test
    void githubHasItsTwoGibLimitOtherHostsNoneUnlessConfigured() {
        assertThat(limit("https://github.com/team/models.git/info/lfs")).isEqualTo(2L << 30);
        assertThat(limit("https://GitHub.com/team/models.git/info/lfs")).isEqualTo(2L << 30);
        assertThat(limit("https://gitlab.example.com/team/models.git/info/lfs")).isZero();
        assertThat(limit("http://127.0.0.1:8080/models.git/info/lfs")).isZero();
    }
}
