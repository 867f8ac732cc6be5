package dev.mlv.store.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which store URLs are accepted: nothing that would commit a secret, and no URL taken as a path. */
class RemoteLocationTest {
    @Test
    void directoriesFileUrlsAndS3AreAccepted() {
        Path base = Path.of("/work/tree");
        assertThat(new RemoteLocation("../store", null, null, false).directory(base)).isEqualTo(Path.of("/work/store"));
        assertThat(new RemoteLocation("file:///srv/store", null, null, false).directory(base)).isEqualTo(Path.of("/srv/store"));
        assertThat(new RemoteLocation("s3://bucket/team/store", "http://127.0.0.1:9000", "us-east-1", true).s3()).isTrue();
        // a plain path may hold characters a URL treats specially
        assertThat(new RemoteLocation("stores/a?b", null, null, false).directory(base)).isEqualTo(Path.of("/work/tree/stores/a?b"));
    }

    @Test
    void otherSchemesAreRefusedNotTakenAsRelativeDirectories() {
        for (String url : new String[] {"ftp://h/x", "sftp://host/store"}) {
            assertThatThrownBy(() -> new RemoteLocation(url, null, null, false))
                    .as(url).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("store URLs are not supported").hasMessageContaining("s3://bucket/prefix")
                    .hasMessageContaining("info/lfs");
        }
    }

    @Test
    void httpUrlsAreGitLfsServersWithoutCredentials() {
        for (String url : new String[] {"http://host/store", "https://host/team/repo.git/info/lfs", "HTTPS://host/x"}) {
            assertThat(new RemoteLocation(url, null, null, false).lfs()).as(url).isTrue();
        }
        assertThat(new RemoteLocation("s3://bucket/p", null, null, false).lfs()).isFalse();
        assertThatThrownBy(() -> new RemoteLocation("https://me:token@host/repo.git/info/lfs", null, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not contain credentials")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("token"));
        assertThatThrownBy(() -> new RemoteLocation("https://host/repo.git/info/lfs?token=abc", null, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query string");
        assertThatThrownBy(() -> new RemoteLocation("https://host/repo.git/info/lfs", "http://127.0.0.1:9000", null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3:// stores only");
    }

    @Test
    void aQueryStringOrCredentialsAreRefusedSoNoSecretIsCommitted() {
        assertThatThrownBy(() -> new RemoteLocation("s3://bucket/p?X-Amz-Signature=abc", null, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query string");
        assertThatThrownBy(() -> new RemoteLocation("file:///srv/store?token=abc", null, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query string");
        assertThatThrownBy(() -> new RemoteLocation("s3://AKIA:secret@bucket/p", null, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credentials");
        assertThatThrownBy(() -> new RemoteLocation("s3://bucket/p", "http://user:pw@127.0.0.1:9000", null, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credentials");
        assertThatThrownBy(() -> new RemoteLocation("s3://bucket/p", "http://127.0.0.1:9000/?key=secret", null, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query string");
    }
}
