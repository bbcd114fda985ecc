package org.idbroker.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretRefsTest {

    private final SecretRefs refs = new SecretRefs(Map.of("SECRET", " from-env \n")::get);

    @TempDir
    Path dir;

    @Test
    void readsAFileOrAnEnvironmentVariableStrippingLineEnds() throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), "s3cret\n");

        assertThat(refs.apply(file(file.toString()))).isEqualTo("s3cret");
        assertThat(refs.apply(new ConfigFile.SecretRef(null, "SECRET", null))).isEqualTo("from-env");
    }

    @Test
    void refusesADirectorySayingWhatToFix() {
        assertThatThrownBy(() -> refs.apply(file(dir.toString()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a regular file");
    }

    @Test
    void refusesADeviceThatNeverEndsInsteadOfReadingIt() {
        // /dev/zero has size 0 and never ends: reading it would fill the memory
        assertThatThrownBy(() -> refs.apply(file("/dev/zero"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a regular file");
    }

    @Test
    void refusesAFileLargerThanTheLimitWithoutNamingItsContent() throws Exception {
        Path big = Files.writeString(dir.resolve("big"), "x".repeat(64 * 1024 + 1));

        assertThatThrownBy(() -> refs.apply(file(big.toString()))).hasMessageContaining("larger than").hasMessageNotContaining("xxx");
    }

    @Test
    void refusesAMissingFileNamingOnlyThePath() {
        assertThatThrownBy(() -> refs.apply(file(dir.resolve("missing").toString()))).hasMessageContaining("does not exist")
                .hasMessageContaining("missing");
    }

    private static ConfigFile.SecretRef file(String path) {
        return new ConfigFile.SecretRef(null, null, path);
    }
}
