package org.idbroker.server.web.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.idbroker.core.crypto.Tokens;
import org.idbroker.core.oauth.SigningKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's signing keys as this node uses them: read from PostgreSQL (where every node finds the
 * same keys) and kept for {@link #REFRESH}, well inside the schedule's lead, so every node signs
 * with the new key only after it has been published long enough. RS256 with 2048-bit RSA keys.
 */
public final class OidcKeys {

    static final Duration REFRESH = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(OidcKeys.class);

    private final SigningKeys store;
    private final SigningKeys.Schedule schedule;
    private final Clock clock;
    private volatile Snapshot snapshot;

    public OidcKeys(SigningKeys store, SigningKeys.Schedule schedule, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.schedule = requireNonNull(schedule, "schedule is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The keys read at one time: the public set to publish and each private key by kid. */
    private record Snapshot(Instant read, List<SigningKeys.Key> keys, List<RSAKey> privateKeys, JWKSet publicSet) {
    }

    /** Makes the keys the schedule asks for (on any node; the store lets one decide) and reads them again. */
    public void maintain() {
        int made = store.ensure(schedule, OidcKeys::generate);
        if (made > 0) {
            LOG.info("Made {} new signing key(s)", made);
        }
        snapshot = read();
    }

    /** The public keys, for the JWKS endpoint. */
    public JWKSet publicKeys() {
        return current().publicSet();
    }

    /** The key to sign with now. */
    public RSAKey signingKey() {
        Snapshot s = current();
        Optional<SigningKeys.Key> key = SigningKeys.current(s.keys(), clock.instant());
        if (key.isEmpty()) {
            maintain();
            s = snapshot;
            key = SigningKeys.current(s.keys(), clock.instant());
        }
        String kid = key.orElseThrow(() -> new IllegalStateException("no signing key")).kid();
        return s.privateKeys().stream().filter(k -> kid.equals(k.getKeyID())).findFirst().orElseThrow();
    }

    /** A published key by its id, for checking a token the broker signed (read again once when unknown). */
    public Optional<RSAKey> verificationKey(String kid) {
        if (kid == null) {
            return Optional.empty();
        }
        Optional<RSAKey> found = find(current(), kid);
        if (found.isEmpty() && snapshot.read().plusSeconds(2).isBefore(clock.instant())) {
            snapshot = read();
            found = find(snapshot, kid);
        }
        return found.map(RSAKey::toPublicJWK);
    }

    private static Optional<RSAKey> find(Snapshot s, String kid) {
        return s.privateKeys().stream().filter(k -> kid.equals(k.getKeyID())).findFirst();
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (s == null || s.read().plus(REFRESH).isBefore(clock.instant())) {
            s = read();
            if (SigningKeys.current(s.keys(), clock.instant()).isEmpty()) {
                maintain();
                return snapshot;
            }
            snapshot = s;
        }
        return s;
    }

    private Snapshot read() {
        List<SigningKeys.Key> keys = store.published();
        List<RSAKey> privateKeys = new ArrayList<>();
        List<JWK> publicKeys = new ArrayList<>();
        for (SigningKeys.Key key : keys) {
            try {
                RSAKey parsed = RSAKey.parse(key.privateJwk());
                privateKeys.add(parsed);
                publicKeys.add(parsed.toPublicJWK());
            } catch (ParseException e) {
                LOG.error("The signing key {} cannot be read; it is left out", key.kid());
            }
        }
        return new Snapshot(clock.instant(), keys, privateKeys, new JWKSet(publicKeys));
    }

    private static SigningKeys.NewKey generate() {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID(Tokens.random().substring(0, 16)).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate();
            return new SigningKeys.NewKey(key.getKeyID(), JWSAlgorithm.RS256.getName(), key.toPublicJWK().toJSONString(),
                    key.toJSONString());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make an RSA key", e);
        }
    }
}
