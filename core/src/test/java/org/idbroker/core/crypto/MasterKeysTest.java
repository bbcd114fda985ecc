package org.idbroker.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeysTest {

    @TempDir
    Path dir;

    @Test
    void makesAnOwnerOnlyKeyFileAtFirstStartAndReadsItAfterwards() throws Exception {
        Path file = dir.resolve("data/master.key");
        byte[] first = MasterKeys.load(null, file);
        assertThat(first).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(MasterKeys.load(null, file)).isEqualTo(first);
    }

    @Test
    void theEnvironmentWins() {
        byte[] key = new byte[32];
        key[0] = 7;
        assertThat(MasterKeys.load(Base64.getEncoder().encodeToString(key), dir.resolve("unused"))).isEqualTo(key);
        assertThat(dir.resolve("unused")).doesNotExist();
    }

    @Test
    void refusesAKeyOfTheWrongLength() {
        assertThatThrownBy(() -> MasterKeys.load(Base64.getEncoder().encodeToString(new byte[16]), dir.resolve("x")))
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> MasterKeys.load("%%%", dir.resolve("x"))).hasMessageContaining("base64");
    }
}
