package org.idbroker.providers.ldap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A certificate authority made for the test with the JDK's keytool, and a server certificate it signed for
 * {@code localhost} and {@code 127.0.0.1}, in a PKCS#12 key store the directory serves.
 *
 * @param caPem the authority's certificate, PEM
 * @param serverKeyStore the server's key and certificate chain (alias {@code server})
 */
record TestCertificates(Path caPem, Path serverKeyStore, String password) {

    private static TestCertificates shared;

    /** One authority and server certificate for every directory of this test run. */
    static synchronized TestCertificates shared() {
        if (shared == null) {
            shared = make("IdBroker Test CA");
        }
        return shared;
    }

    static TestCertificates make(String caName) {
        try {
            Path dir = Files.createTempDirectory("idbroker-ldap-tls");
            Path ca = dir.resolve("ca.p12");
            Path server = dir.resolve("server.p12");
            String pw = "changeit-" + Long.toHexString(System.nanoTime());
            keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + caName, "-ext", "bc:c",
                    "-validity", "2", "-keystore", ca.toString(), "-storepass", pw, "-storetype", "PKCS12");
            keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", pw, "-file",
                    dir.resolve("ca.pem").toString());
            keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                    "-validity", "2", "-keystore", server.toString(), "-storepass", pw, "-storetype", "PKCS12");
            keytool("-certreq", "-alias", "server", "-keystore", server.toString(), "-storepass", pw, "-file",
                    dir.resolve("server.csr").toString());
            keytool("-gencert", "-alias", "ca", "-keystore", ca.toString(), "-storepass", pw, "-infile",
                    dir.resolve("server.csr").toString(), "-outfile", dir.resolve("server.pem").toString(), "-rfc",
                    "-ext", "san=dns:localhost,ip:127.0.0.1", "-ext", "eku=serverAuth", "-validity", "2");
            keytool("-importcert", "-alias", "ca", "-keystore", server.toString(), "-storepass", pw, "-file",
                    dir.resolve("ca.pem").toString(), "-noprompt");
            keytool("-importcert", "-alias", "server", "-keystore", server.toString(), "-storepass", pw, "-file",
                    dir.resolve("server.pem").toString(), "-noprompt");
            return new TestCertificates(dir.resolve("ca.pem"), server, pw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String caPemText() {
        try {
            return Files.readString(caPem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        try {
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
