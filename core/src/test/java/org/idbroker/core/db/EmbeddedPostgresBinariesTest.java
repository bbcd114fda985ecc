package org.idbroker.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class EmbeddedPostgresBinariesTest {

    @TempDir
    Path work;

    @Test
    void thisMachinesBinariesUnpackIntoAnEmptyFolderAndZonkyRunsThemWithoutUnpackingAgain() throws Exception {
        Path root = work.resolve("not-there-yet");
        EmbeddedPostgresBinaries binaries = new EmbeddedPostgresBinaries(root);

        Path folder = binaries.prepare();

        assertThat(folder.getParent()).isEqualTo(root.toAbsolutePath());
        assertThat(folder.resolve(EmbeddedPostgresBinaries.MARKER)).isRegularFile();
        assertThat(folder.resolve("bin/postgres")).isExecutable();
        assertThat(Files.isSymbolicLink(folder.resolve("lib/libpq.so"))).isTrue();
        assertThat(binaries.majorVersion()).isEqualTo("18");
        try (Stream<Path> children = Files.list(root)) {
            assertThat(children.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(folder.getFileName().toString(), ".lock");
        }
        long unpackedAt = Files.getLastModifiedTime(folder.resolve(EmbeddedPostgresBinaries.MARKER)).toMillis();

        try (EmbeddedPostgres postgres = binaries.builder().setDataDirectory(work.resolve("pgdata")).start();
             Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("show server_version_num")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isBetween(180000, 189999);
        }
        // zonky found the folder complete: nothing beside it, nothing rewritten in it
        try (Stream<Path> children = Files.list(root)) {
            assertThat(children.count()).isEqualTo(2);
        }
        assertThat(Files.getLastModifiedTime(folder.resolve(EmbeddedPostgresBinaries.MARKER)).toMillis()).isEqualTo(unpackedAt);
        assertThat(folder.resolve("epg-lock")).doesNotExist();
    }

    @Test
    void anInterruptedUnpackIsRemovedAndAFolderWithoutItsMarkerIsReplaced() throws Exception {
        URL archive = archive(work.resolve("pg.txz"), false);
        EmbeddedPostgresBinaries binaries = new EmbeddedPostgresBinaries(work.resolve("bins"), "pg.txz", archive);
        Path target = work.resolve("bins").resolve(EmbeddedPostgresBinaries.folderName(binaries.fingerprint()));
        // what a process killed half-way leaves: a partial sibling, and (zonky's own unpack) the final folder without its marker
        Path partial = Files.createDirectories(work.resolve("bins").resolve(target.getFileName() + ".partial-dead"));
        Files.writeString(partial.resolve("half"), "x");
        Files.createDirectories(target.resolve("lib"));
        Files.writeString(target.resolve("lib/libpq.so"), "half");

        Path folder = binaries.prepare();

        assertThat(folder).isEqualTo(target);
        assertThat(partial).doesNotExist();
        assertThat(folder.resolve("lib/libpq.so")).isSymbolicLink();
        assertThat(Files.readString(folder.resolve("lib/libpq.so.5.18"))).isEqualTo("library");
        assertThat(folder.resolve("bin/initdb")).isExecutable();
        assertThat(folder.resolve("share/postgresql/postgres.bki")).isRegularFile();
        assertThat(folder.resolve(EmbeddedPostgresBinaries.MARKER)).isRegularFile();

        // a complete folder that lost a program (cleaned by hand) is also replaced
        Files.delete(folder.resolve("bin/pg_ctl"));
        assertThat(binaries.prepare()).isEqualTo(target);
        assertThat(target.resolve("bin/pg_ctl")).isExecutable();
    }

    @Test
    void threadsPreparingTogetherUnpackOnce() throws Exception {
        URL archive = archive(work.resolve("pg.txz"), false);
        List<Callable<Path>> tasks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tasks.add(() -> new EmbeddedPostgresBinaries(work.resolve("bins"), "pg.txz", archive).prepare());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Path> folders = new ArrayList<>();
            for (Future<Path> f : pool.invokeAll(tasks)) {
                folders.add(f.get());
            }
            assertThat(folders).hasSize(4).containsOnly(folders.get(0));
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> children = Files.list(work.resolve("bins"))) {
            assertThat(children.count()).isEqualTo(2); // the folder and the lock file, no leftover
        }
    }

    @Test
    void anArchiveNamingAPathOutsideItsFolderIsRefusedAndLeavesNothing() throws Exception {
        URL archive = archive(work.resolve("evil.txz"), true);
        EmbeddedPostgresBinaries binaries = new EmbeddedPostgresBinaries(work.resolve("bins"), "evil.txz", archive);

        assertThatThrownBy(binaries::prepare).isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining("outside its folder");
        assertThat(work.resolve("escaped")).doesNotExist();
        try (Stream<Path> children = Files.list(work.resolve("bins"))) {
            assertThat(children.map(p -> p.getFileName().toString())).containsExactly(".lock");
        }
    }

    @Test
    void anUnwritableFolderSaysWhichOptionChoosesAnother() throws Exception {
        Path file = Files.writeString(work.resolve("a-file"), "not a folder");
        EmbeddedPostgresBinaries binaries = new EmbeddedPostgresBinaries(file.resolve("sub"), "pg.txz", archive(work.resolve("pg.txz"), false));

        assertThatThrownBy(binaries::prepare).isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining("cannot unpack the embedded PostgreSQL into " + file.resolve("sub"))
                .hasMessageContaining("--pg-binaries-dir");
    }

    @Test
    void onlyLinuxOnX86AndArmIsShipped() {
        assertThat(EmbeddedPostgresBinaries.resourceFor("Linux", "amd64")).isEqualTo("postgres-linux-x86_64.txz");
        assertThat(EmbeddedPostgresBinaries.resourceFor("Linux", "aarch64")).isEqualTo("postgres-linux-arm_64.txz");
        assertThatThrownBy(() -> EmbeddedPostgresBinaries.resourceFor("Mac OS X", "aarch64"))
                .isInstanceOf(DatabaseUnavailableException.class).hasMessageContaining("--db-url");
    }

    /** A small archive shaped like the real one (programs, a library and its link), or one with an entry escaping it. */
    private static URL archive(Path file, boolean evil) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
             XZOutputStream xz = new XZOutputStream(out, new LZMA2Options());
             TarArchiveOutputStream tar = new TarArchiveOutputStream(xz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String program : List.of("bin/initdb", "bin/pg_ctl", "bin/postgres")) {
                file(tar, program, "#!/bin/sh\n", 0755);
            }
            file(tar, "lib/libpq.so.5.18", "library", 0644);
            TarArchiveEntry link = new TarArchiveEntry("lib/libpq.so", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("libpq.so.5.18");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            file(tar, "share/postgresql/postgres.bki", "# PostgreSQL 18\n", 0644);
            if (evil) {
                file(tar, "../escaped", "gotcha", 0644);
            }
        }
        return file.toUri().toURL();
    }

    private static void file(TarArchiveOutputStream tar, String name, String content, int mode) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        entry.setMode(mode);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
