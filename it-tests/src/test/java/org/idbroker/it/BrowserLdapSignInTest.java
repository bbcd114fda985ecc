package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.idbroker.it.support.TestingChrome;
import org.idbroker.it.support.TestingLdap;
import org.idbroker.it.support.TestingPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A person signs in through an LDAP directory with a real browser, against the built broker run as an operator
 * runs it ({@code bin/idbroker configure --type ldap --set ...}, then {@code bin/idbroker start}): the sign-in page's
 * button opens the broker's password form, a wrong password shows the form again with the reason, the right one
 * signs the person in with the directory's groups.
 */
class BrowserLdapSignInTest {

    private static final Path LAUNCHER = Path.of("..", "distribution", "target", "idbroker", "bin", "idbroker").toAbsolutePath().normalize();

    @TempDir
    Path work;
    private final HttpClient http = HttpClient.newHttpClient();
    private TestingLdap directory;
    private Process broker;
    private String database;
    private TestingChrome chrome;

    @AfterEach
    void stop() throws Exception {
        try {
            if (chrome != null) {
                chrome.screenshot(getClass().getSimpleName());
                chrome.close();
            }
            if (broker != null) {
                broker.destroy();
                if (!broker.waitFor(30, TimeUnit.SECONDS)) {
                    broker.destroyForcibly();
                }
            }
        } finally {
            if (directory != null) {
                directory.close();
            }
            if (database != null) {
                TestingPostgres.dropDatabase(database);
            }
        }
    }

    @Test
    void signsInThroughTheDirectoryWithThePasswordForm() throws Exception {
        assumeTrue(Files.isExecutable(LAUNCHER), "the distribution is built by 'mvn package' in the distribution module: " + LAUNCHER);
        chrome = TestingChrome.start();
        directory = TestingLdap.start();
        database = TestingPostgres.newDatabase();
        int port = freePort();
        String publicUrl = "http://localhost:" + port;
        List<String> db = new ArrayList<>(List.of("--db-url", database, "--public-url", publicUrl));
        if (TestingPostgres.user() != null) {
            db.addAll(List.of("--db-username", TestingPostgres.user()));
        }
        String key = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
        Path bindPassword = Files.writeString(work.resolve("bind-password"), TestingLdap.SERVICE_PASSWORD);

        List<String> configure = new ArrayList<>(List.of("configure", "--provider", "Corp", "--type", "ldap", "--enabled", "true",
                "--display-name", "Company directory", "--allow-auto-user-creation", "true"));
        configure.addAll(directory.settings(bindPassword.toString()));
        configure.addAll(db);
        Process configured = launch("configure.log", key, configure);
        assertThat(configured.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(configured.exitValue()).as(Files.readString(work.resolve("configure.log"))).isZero();
        List<String> start = new ArrayList<>(List.of("start", "--http-port", Integer.toString(port)));
        start.addAll(db);
        broker = launch("start.log", key, start);
        awaitReady(port);

        chrome.open(publicUrl + "/app/sign-in");
        chrome.click(By.linkText("Sign in with Company directory"));
        chrome.waitFor(By.id("password-form"));
        assertThat(chrome.find(By.id("username")).getAttribute("autocomplete")).isEqualTo("username");
        assertThat(chrome.find(By.id("password")).getAttribute("autocomplete")).isEqualTo("current-password");
        chrome.type(By.id("username"), "alice");
        chrome.type(By.id("password"), "not-her-password");
        chrome.click(By.id("sign-in"));

        WebElement refusal = chrome.waitFor(By.id("error-message"));
        assertThat(refusal.getText()).contains("username or the password is wrong");
        assertThat(chrome.find(By.id("error-code")).getText()).isEqualTo("invalid_credentials");
        chrome.type(By.id("username"), "alice");
        chrome.type(By.id("password"), TestingLdap.ALICE_PASSWORD);
        chrome.click(By.id("sign-in"));

        chrome.waitForText(By.id("display-name"), "Alice Doe");
        assertThat(chrome.currentUrl()).isEqualTo(publicUrl + "/app/");
        assertThat(chrome.find(By.id("username")).getText()).isEqualTo("alice");
        assertThat(chrome.findAll(By.cssSelector("#external-groups li")).stream().map(WebElement::getText)).containsExactly("developers");
        assertThat(chrome.findAll(By.cssSelector("#identities tbody td")).stream().map(WebElement::getText))
                .contains("Corp", directory.issuer());
    }

    private Process launch(String log, String masterKey, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve(log).toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("IDBROKER_") || k.equals("JAVA_OPTS") || k.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().put("IDBROKER_MASTER_KEY", masterKey);
        return builder.start();
    }

    private void awaitReady(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!broker.isAlive()) {
                throw new AssertionError("the broker ended before it was ready: " + Files.readString(work.resolve("start.log")));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the broker was not ready: " + Files.readString(work.resolve("start.log")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
