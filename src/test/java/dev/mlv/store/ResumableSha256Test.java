package dev.mlv.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResumableSha256Test {

    @Test
    void agreesWithTheJdkForEveryLengthAroundTheBlockAndPaddingEdges() throws Exception {
        Random rnd = new Random(1);
        for (int len = 0; len <= 300; len++) {
            byte[] data = new byte[len];
            rnd.nextBytes(data);
            ResumableSha256 sha = new ResumableSha256();
            sha.update(data, 0, len);
            assertThat(sha.digest()).as("length %d", len).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        }
    }

    @Test
    void aSavedStateResumesToTheSameDigestWhateverTheSplits() throws Exception {
        Random rnd = new Random(2);
        for (int round = 0; round < 200; round++) {
            byte[] data = new byte[rnd.nextInt(5000)];
            rnd.nextBytes(data);
            int cut = data.length == 0 ? 0 : rnd.nextInt(data.length + 1);
            ResumableSha256 first = new ResumableSha256();
            int pos = 0;
            while (pos < cut) {
                int n = Math.min(cut - pos, 1 + rnd.nextInt(150));
                first.update(data, pos, n);
                pos += n;
            }
            ResumableSha256.State saved = first.state();
            assertThat(saved.count()).isEqualTo(cut);
            first.update(new byte[] {1, 2, 3}, 0, 3); // the saved state is a copy
            ResumableSha256 resumed = new ResumableSha256(saved);
            resumed.update(data, cut, data.length - cut);
            byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
            assertThat(resumed.digest()).isEqualTo(expected);
            assertThat(resumed.digest()).as("digest() leaves the state as it was").isEqualTo(expected);
        }
    }

    @Test
    void aStateSurvivesItsEncodingAndIsRefusedForAnotherFileOrOffset() {
        byte[] data = StoreTestData.text(3, 777);
        ResumableSha256 sha = new ResumableSha256();
        sha.update(data, 0, 700);
        Oid oid = StoreTestData.sha256(data);
        byte[] encoded = AppendState.encode(oid, data.length, sha.state());
        ResumableSha256.State back = AppendState.decode(encoded, oid, data.length, 700);
        assertThat(back).isNotNull();
        ResumableSha256 resumed = new ResumableSha256(back);
        resumed.update(data, 700, 77);
        assertThat(Oid.of(resumed.digest())).isEqualTo(oid);

        assertThat(AppendState.decode(encoded, oid, data.length, 699)).isNull();
        assertThat(AppendState.decode(encoded, oid, data.length + 1, 700)).isNull();
        assertThat(AppendState.decode(encoded, StoreTestData.sha256(new byte[1]), data.length, 700)).isNull();
        encoded[60] ^= 1;
        assertThat(AppendState.decode(encoded, oid, data.length, 700)).as("checksum").isNull();
    }
}
