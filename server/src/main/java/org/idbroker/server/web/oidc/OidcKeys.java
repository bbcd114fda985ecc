package org.idbroker.server.web.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.JWKGenerator;
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
 * with the new key only after it has been published long enough. One key at a time per algorithm,
 * each on its own schedule: RS256 with 2048-bit RSA keys (the default), ES256 with P-256 keys (for
 * the clients that choose it).
 */
public final class OidcKeys {

    static final Duration REFRESH = Duration.ofSeconds(30);
    /** The algorithms the broker signs with, the default first. */
    static final List<JWSAlgorithm> ALGORITHMS = List.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
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
    private record Snapshot(Instant read, List<SigningKeys.Key> keys, List<JWK> privateKeys, JWKSet publicSet) {
        boolean complete(Instant now) {
            return ALGORITHMS.stream().allMatch(alg -> SigningKeys.current(keys, alg.getName(), now).isPresent());
        }
    }

    /** Makes the keys the schedule asks for (on any node; the store lets one decide) and reads them again. */
    public void maintain() {
        int made = 0;
        for (JWSAlgorithm algorithm : ALGORITHMS) {
            made += store.ensure(schedule, algorithm.getName(), () -> generate(algorithm));
        }
        if (made > 0) {
            LOG.info("Made {} new signing key(s)", made);
        }
        snapshot = read();
    }

    /** The public keys, for the JWKS endpoint. */
    public JWKSet publicKeys() {
        return current().publicSet();
    }

    /** The RS256 key to sign with now. */
    public JWK signingKey() {
        return signingKey(JWSAlgorithm.RS256);
    }

    /** The key of {@code algorithm} to sign with now. */
    public JWK signingKey(JWSAlgorithm algorithm) {
        Snapshot s = current();
        Optional<SigningKeys.Key> key = SigningKeys.current(s.keys(), algorithm.getName(), clock.instant());
        if (key.isEmpty()) {
            maintain();
            s = snapshot;
            key = SigningKeys.current(s.keys(), algorithm.getName(), clock.instant());
        }
        String kid = key.orElseThrow(() -> new IllegalStateException("no " + algorithm + " signing key")).kid();
        return s.privateKeys().stream().filter(k -> kid.equals(k.getKeyID())).findFirst().orElseThrow();
    }

    /** A published key by its id (public half), for checking a token the broker signed (read again once when unknown). */
    public Optional<JWK> verificationKey(String kid) {
        if (kid == null) {
            return Optional.empty();
        }
        Optional<JWK> found = find(current(), kid);
        if (found.isEmpty() && snapshot.read().plusSeconds(2).isBefore(clock.instant())) {
            snapshot = read();
            found = find(snapshot, kid);
        }
        return found.map(JWK::toPublicJWK);
    }

    private static Optional<JWK> find(Snapshot s, String kid) {
        return s.privateKeys().stream().filter(k -> kid.equals(k.getKeyID())).findFirst();
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (s == null || s.read().plus(REFRESH).isBefore(clock.instant())) {
            s = read();
            if (!s.complete(clock.instant())) {
                maintain();
                return snapshot;
            }
            snapshot = s;
        }
        return s;
    }

    private Snapshot read() {
        List<SigningKeys.Key> keys = store.published();
        List<JWK> privateKeys = new ArrayList<>();
        List<JWK> publicKeys = new ArrayList<>();
        for (SigningKeys.Key key : keys) {
            try {
                JWK parsed = JWK.parse(key.privateJwk());
                privateKeys.add(parsed);
                publicKeys.add(parsed.toPublicJWK());
            } catch (ParseException e) {
                LOG.error("The signing key {} cannot be read; it is left out", key.kid());
            }
        }
        return new Snapshot(clock.instant(), keys, privateKeys, new JWKSet(publicKeys));
    }

    private static SigningKeys.NewKey generate(JWSAlgorithm algorithm) {
        try {
            JWKGenerator<? extends JWK> generator = JWSAlgorithm.ES256.equals(algorithm) ? new ECKeyGenerator(Curve.P_256)
                    : new RSAKeyGenerator(2048);
            JWK key = generator.keyID(Tokens.random().substring(0, 16)).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).generate();
            return new SigningKeys.NewKey(key.getKeyID(), algorithm.getName(), key.toPublicJWK().toJSONString(), key.toJSONString());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make a " + algorithm + " key", e);
        }
    }
}
