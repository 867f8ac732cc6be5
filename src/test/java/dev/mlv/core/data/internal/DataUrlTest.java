package dev.mlv.core.data.internal;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Data repository URLs, whether typed or read from a cloned .gitmodules, are untrusted: transports
 * that run commands, and hosts ssh would read as options, are refused (exit 2).
 */
class DataUrlTest {
    private static final Path BASE = Path.of("/work/proj");

    @Test
    void commandRunningTransportsAndOptionLikeHostsAreRefused() {
        for (String url : new String[] {"ext::sh -c touch% /tmp/pwned", "EXT::sh -c id", "fd::17", "-oProxyCommand=id",
            "ssh://-oProxyCommand=id/x", "ssh://git@-oProxyCommand=id/x", "git@-oProxyCommand=id:x",
            "https://host/repo\n[core]", "weird://host/x", "http://host/x", ""}) {
            assertThatThrownBy(() -> DataUrl.parse(url, BASE)).as(url)
                    .isInstanceOf(MlvException.class)
                    .satisfies(e -> assertThat(((MlvException) e).kind()).isEqualTo(ErrorKind.USAGE));
        }
    }

    @Test
    void ordinaryUrlsPass() throws Exception {
        for (String url : new String[] {"https://github.com/org/data.git", "ssh://git@host/data.git",
            "git@github.com:org/data.git", "file:///srv/git/data.git"}) {
            assertThat(DataUrl.parse(url, BASE).url()).as(url).isEqualTo(url);
        }
        assertThat(DataUrl.parse("../data.git", BASE).localPath()).isEqualTo(Path.of("/work/data.git"));
        assertThat(DataUrl.parse("/srv/git/data.git", BASE).isLocal()).isTrue();
    }
}
