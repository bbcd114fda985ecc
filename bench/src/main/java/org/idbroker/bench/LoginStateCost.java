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
 * What keeping login state costs PostgreSQL, before and after login states moved into the OAuth {@code state}: the
 * previous release's row in {@code login_transactions} (one insert at the start, one delete-returning at the callback,
 * each its own commit), against this release's one-use guard in {@code spent_login_states} (a read-only look-up at the
 * callback, and an insert that rides in the sign-in's own transaction, so it adds no commit: measured here with
 * {@code synchronous_commit} off, the WAL flush being the sign-in's anyway); and the broker's CPU to seal and open a
 * typical state with AES-GCM (the 218 bytes of an OpenID Connect sign-in's {@code LoginStates} record).
 */
final class LoginStateCost {

    /** The plaintext of an Authentik-like sign-in's login state (LoginStatesTest prints its sealed length). */
    static final int TYPICAL_STATE_BYTES = 218;

    record Figures(double rowWallMs, double rowPostgresCpuMs, double guardWallMs, double guardPostgresCpuMs, double sealCpuMs,
            int stateChars) {
    }

    private LoginStateCost() {
    }

    static Figures measure(Database database, int rounds) throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] remembered = new byte[160]; // nonce and PKCE verifier as JSON, sealed: about this long
        random.nextBytes(remembered);
        double[] row;
        double[] guard;
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
                row = timed(backend, rounds, i -> {
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
                });
            }
            try (PreparedStatement spent = c.prepareStatement("select 1 from spent_login_states where id = ?");
                    PreparedStatement spend = c.prepareStatement("insert into spent_login_states (id, expires_at) values (?, ?)"
                            + " on conflict do nothing");
                    Statement s = c.createStatement()) {
                s.execute("set synchronous_commit = off");
                guard = timed(backend, rounds, i -> {
                    byte[] id = new byte[32];
                    random.nextBytes(id);
                    spent.setBytes(1, id);
                    try (ResultSet rs = spent.executeQuery()) {
                        rs.next();
                    }
                    spend.setBytes(1, id);
                    spend.setObject(2, OffsetDateTime.now().plusMinutes(10));
                    spend.executeUpdate();
                });
                s.execute("reset synchronous_commit");
            }
        }
        // a typical state sealed as SecretCipher seals it (version, key id, nonce, ciphertext and tag) and opened again
        SecretKeySpec key = new SecretKeySpec(random.generateSeed(32), "AES");
        byte[] plain = new byte[TYPICAL_STATE_BYTES];
        random.nextBytes(plain);
        byte[] context = "login-state".getBytes(StandardCharsets.UTF_8);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int stateChars = 0;
        long sealCpu = 0;
        for (int pass = 0; pass < 2; pass++) {
            long before = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < rounds * 4; i++) {
                byte[] iv = new byte[12];
                random.nextBytes(iv);
                Cipher seal = Cipher.getInstance("AES/GCM/NoPadding");
                seal.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
                seal.updateAAD(context);
                byte[] sealed = seal.doFinal(plain);
                byte[] value = new byte[1 + 8 + 12 + sealed.length];
                System.arraycopy(iv, 0, value, 9, 12);
                System.arraycopy(sealed, 0, value, 21, sealed.length);
                String state = Base64.getUrlEncoder().withoutPadding().encodeToString(value);
                byte[] back = Base64.getUrlDecoder().decode(state);
                Cipher open = Cipher.getInstance("AES/GCM/NoPadding");
                open.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, back, 9, 12));
                open.updateAAD(context);
                open.doFinal(back, 21, back.length - 21);
                stateChars = state.length();
            }
            sealCpu = threads.getCurrentThreadCpuTime() - before;
        }
        return new Figures(row[0], row[1], guard[0], guard[1], sealCpu / 1e6 / (rounds * 4), stateChars);
    }

    @FunctionalInterface
    private interface Round {
        void run(int i) throws Exception;
    }

    /** Wall ms and the backend's CPU-ms per round, over {@code rounds} after as many to warm the statements up. */
    private static double[] timed(long backend, int rounds, Round round) throws Exception {
        long startCpu = 0;
        long start = 0;
        for (int i = 0; i < rounds * 2; i++) {
            if (i == rounds) {
                startCpu = Procfs.cpuMillis(backend);
                start = System.nanoTime();
            }
            round.run(i);
        }
        return new double[] {(System.nanoTime() - start) / 1e6 / rounds, (double) (Procfs.cpuMillis(backend) - startCpu) / rounds};
    }

    private static byte[] sha256(String value) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    }
}
