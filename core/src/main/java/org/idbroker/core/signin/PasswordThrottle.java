package org.idbroker.core.signin;

import static java.util.Objects.requireNonNull;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Throttles wrong passwords, in PostgreSQL so every node counts the same attempts. Three counters per attempt,
 * each with its own limit and window: the username from this client address (tight), the username from anywhere
 * (looser, with a short window, so a burst of wrong passwords for one person locks them out everywhere only
 * until that window ends), and the client address for any username of the provider. A counter that reached its
 * limit refuses every attempt (even the right password) until its window ends. A right password clears the
 * username-and-address counter. Usernames are counted as the directory compares them ({@link #normal}) and IPv6
 * addresses by their /64 ({@link #normalAddress}), so neither another spelling nor another address of one host
 * starts a fresh count. Between the check and the count, attempts running at that moment on other
 * nodes can pass a limit by as many as there are.
 */
public final class PasswordThrottle {

    /** At most {@code failures} wrong passwords within {@code window}; {@code failures} 0 turns the limit off. */
    public record Limit(int failures, Duration window) {

        public static final Limit OFF = new Limit(0, Duration.ofSeconds(1));
        private static final Pattern FORM = Pattern.compile("(\\d{1,6})/(\\d{1,6})([smh])");

        public Limit {
            requireNonNull(window, "window is null");
            if (failures < 0 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("a limit needs a count of 0 or more and a positive window");
            }
        }

        /** {@code COUNT/DURATION} with the duration in s, m or h ({@code 5/15m}), or {@code 0} for no limit. */
        public static Limit parse(String text) {
            String value = requireNonNull(text, "text is null").trim();
            if (value.equals("0")) {
                return OFF;
            }
            Matcher m = FORM.matcher(value);
            if (!m.matches() || Long.parseLong(m.group(2)) == 0) {
                throw new IllegalArgumentException("expected COUNT/DURATION such as 5/15m (s, m or h), or 0 for no limit,"
                        + " got '" + text + "'");
            }
            long amount = Long.parseLong(m.group(2));
            Duration window = switch (m.group(3)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
            return new Limit(Integer.parseInt(m.group(1)), window);
        }

        boolean on() {
            return failures > 0;
        }
    }

    /** The three limits. */
    public record Limits(Limit perUserAndAddress, Limit perUser, Limit perAddress) {
        public static final String DEFAULT_PER_USER_AND_ADDRESS = "5/15m";
        public static final String DEFAULT_PER_USER = "20/5m";
        public static final String DEFAULT_PER_ADDRESS = "100/15m";
        public static final Limits DEFAULT = new Limits(Limit.parse(DEFAULT_PER_USER_AND_ADDRESS), Limit.parse(DEFAULT_PER_USER),
                Limit.parse(DEFAULT_PER_ADDRESS));

        public Limits {
            requireNonNull(perUserAndAddress, "perUserAndAddress is null");
            requireNonNull(perUser, "perUser is null");
            requireNonNull(perAddress, "perAddress is null");
        }
    }

    private final Jdbi jdbi;
    private final Limits limits;
    private final Clock clock;

    public PasswordThrottle(Jdbi jdbi, Limits limits, Clock clock) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** How long attempts for this username from this address are refused; empty when one may be made now. */
    public Optional<Duration> blocked(String providerId, String username, String address) {
        List<Key> keys = keys(providerId, username, address);
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        List<byte[]> hashes = keys.stream().map(Key::hash).toList();
        List<Row> rows = jdbi.withHandle(h -> h.createQuery("""
                select key_hash, failures, window_ends_at from password_failures
                where key_hash in (<keys>) and window_ends_at > :now""")
                .bindList("keys", hashes).bind("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .map((rs, ctx) -> new Row(rs.getBytes(1), rs.getInt(2), rs.getObject(3, OffsetDateTime.class).toInstant()))
                .list());
        Instant until = null;
        for (Row row : rows) {
            for (Key key : keys) {
                if (Arrays.equals(key.hash, row.keyHash) && row.failures >= key.limit.failures()
                        && (until == null || row.windowEndsAt.isAfter(until))) {
                    until = row.windowEndsAt;
                }
            }
        }
        return until == null ? Optional.empty() : Optional.of(Duration.between(now, until));
    }

    /** Counts a wrong password for this username from this address. */
    public void failed(String providerId, String username, String address) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        jdbi.useTransaction(h -> {
            for (Key key : keys(providerId, username, address)) {
                h.createUpdate("""
                        insert into password_failures (key_hash, failures, window_ends_at) values (:key, 1, :ends)
                        on conflict (key_hash) do update set
                            failures = case when password_failures.window_ends_at <= :now then 1
                                            else password_failures.failures + 1 end,
                            window_ends_at = case when password_failures.window_ends_at <= :now then excluded.window_ends_at
                                                  else password_failures.window_ends_at end""")
                        .bind("key", key.hash).bind("now", now).bind("ends", now.plus(key.limit.window())).execute();
            }
        });
    }

    /** A right password: the username's counter for this address starts again. */
    public void succeeded(String providerId, String username, String address) {
        if (limits.perUserAndAddress().on()) {
            byte[] hash = hash("user-address", providerId, normal(username), normalAddress(address));
            jdbi.useHandle(h -> h.createUpdate("delete from password_failures where key_hash = :key").bind("key", hash).execute());
        }
    }

    /** Deletes counters whose window ended; returns how many. */
    public int purgeExpired() {
        return jdbi.withHandle(h -> h.createUpdate("delete from password_failures where window_ends_at <= :now")
                .bind("now", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).execute());
    }

    private List<Key> keys(String providerId, String username, String address) {
        String user = normal(username);
        String from = normalAddress(address);
        List<Key> keys = new ArrayList<>(3);
        if (limits.perUserAndAddress().on()) {
            keys.add(new Key(hash("user-address", providerId, user, from), limits.perUserAndAddress()));
        }
        if (limits.perUser().on()) {
            keys.add(new Key(hash("user", providerId, user), limits.perUser()));
        }
        if (limits.perAddress().on()) {
            keys.add(new Key(hash("address", providerId, from), limits.perAddress()));
        }
        return keys;
    }

    /**
     * The username as the directory compares it, so its spellings share one count: compatibility characters folded
     * (NFKC: a fullwidth letter is the letter), case folded, and runs of white space one space (LDAP's caseIgnoreMatch,
     * RFC 4518, takes all of these for the same name).
     */
    static String normal(String username) {
        String folded = Normalizer.normalize(requireNonNull(username, "username is null"), Normalizer.Form.NFKC);
        folded = folded.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        return Normalizer.normalize(SPACES.matcher(folded).replaceAll(" ").strip(), Normalizer.Form.NFKC);
    }

    /**
     * The client address a count belongs to: an IPv6 address by its /64 (one host or home holds a whole /64, so counting
     * each address would let it try without limit), an IPv4 address (also one mapped into IPv6) as it is.
     */
    static String normalAddress(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        String literal = address.strip();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        if (!IPV6_LITERAL.matcher(literal).matches()) {
            return literal;
        }
        try {
            // a literal (hex digits, colons and dots only): no name is looked up
            InetAddress parsed = InetAddress.getByName(literal);
            if (parsed instanceof Inet6Address) {
                byte[] prefix = Arrays.copyOf(parsed.getAddress(), 16);
                Arrays.fill(prefix, 8, 16, (byte) 0);
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            }
            return parsed.getHostAddress();
        } catch (UnknownHostException e) {
            return literal;
        }
    }

    private static final Pattern SPACES = Pattern.compile("[\\s\\p{Z}]+");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private static byte[] hash(String... parts) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Key(byte[] hash, Limit limit) {
    }

    private record Row(byte[] keyHash, int failures, Instant windowEndsAt) {
    }
}
