package org.idbroker.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What keeping login state costs: the broker's row in {@code login_transactions} (one insert at the
 * start, one delete-returning at the callback, the same statements as core's LoginTransactions),
 * against sealing the same state into an AES-GCM cookie and opening it again.
 */
final class LoginStateCost {

    record Figures(double rowWallMs, double rowPostgresCpuMs, double cookieCpuMs, int cookieBytes) {
    }

    private LoginStateCost() {
    }

    static Figures measure(Database database, int rounds) throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] remembered = new byte[160]; // nonce and PKCE verifier as JSON, sealed: about this long
        random.nextBytes(remembered);
        double wall;
        long cpu;
        try (Connection c = database.connect()) {
            long backend;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
                rs.next();
                backend = rs.getLong(1);
            }
            try (PreparedStatement insert = c.prepareStatement("insert into login_transactions (state_hash, browser_hash, provider_id,"
                    + " remembered, redirect_after, mode, expires_at) values (?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement take = c.prepareStatement("delete from login_transactions where state_hash = ? and browser_hash = ?"
                            + " returning provider_id, remembered, redirect_after, mode, expires_at")) {
                long startCpu = 0;
                long start = 0;
                for (int i = 0; i < rounds * 2; i++) {
                    if (i == rounds) { // the first half warms the statements up
                        startCpu = Procfs.cpuMillis(backend);
                        start = System.nanoTime();
                    }
                    byte[] state = sha256("state-" + i + "-" + random.nextLong());
                    byte[] browser = sha256("browser-" + i);
                    insert.setBytes(1, state);
                    insert.setBytes(2, browser);
                    insert.setString(3, "GenericOidc");
                    insert.setBytes(4, remembered);
                    insert.setString(5, "/");
                    insert.setString(6, "sign-in");
                    insert.setObject(7, OffsetDateTime.now().plusMinutes(10));
                    insert.executeUpdate();
                    take.setBytes(1, state);
                    take.setBytes(2, browser);
                    try (ResultSet rs = take.executeQuery()) {
                        rs.next();
                    }
                }
                wall = (System.nanoTime() - start) / 1e6 / rounds;
                cpu = Procfs.cpuMillis(backend) - startCpu;
            }
        }
        // the same state in an encrypted, integrity-protected cookie
        SecretKeySpec key = new SecretKeySpec(random.generateSeed(32), "AES");
        byte[] plain = ("{\"s\":\"" + "x".repeat(43) + "\",\"b\":\"" + "y".repeat(43) + "\",\"p\":\"GenericOidc\",\"r\":\""
                + Base64.getEncoder().encodeToString(remembered) + "\",\"a\":\"/\",\"m\":\"sign-in\",\"e\":1700000000}")
                .getBytes(StandardCharsets.UTF_8);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int cookieBytes = 0;
        long cookieCpu = 0;
        for (int pass = 0; pass < 2; pass++) {
            long before = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < rounds * 4; i++) {
                byte[] iv = new byte[12];
                random.nextBytes(iv);
                Cipher seal = Cipher.getInstance("AES/GCM/NoPadding");
                seal.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
                String cookie = Base64.getUrlEncoder().withoutPadding().encodeToString(seal.doFinal(plain));
                Cipher open = Cipher.getInstance("AES/GCM/NoPadding");
                open.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv));
                open.doFinal(Base64.getUrlDecoder().decode(cookie));
                cookieBytes = cookie.length() + 16;
            }
            cookieCpu = threads.getCurrentThreadCpuTime() - before;
        }
        return new Figures(wall, (double) cpu / rounds, cookieCpu / 1e6 / (rounds * 4), cookieBytes);
    }

    private static byte[] sha256(String value) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    }
}
