package org.idbroker.providers.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;

/**
 * The discovered metadata of the IdP and the key material built from it: a rate-limited, cached JWKS
 * source (Nimbus {@link JWKSourceBuilder}) for asymmetric algorithms, and the client secret for HS*.
 */
final class IdpMetadata {

    private static final int MAX_JWKS_BYTES = 512 * 1024;
    private static final long JWKS_MIN_REFETCH_MILLIS = 30_000;

    private final OidcConfig config;
    private final BoundedSender sender;
    private final OIDCProviderMetadata metadata;
    private final Map<JWSAlgorithm, JWSKeySelector<SecurityContext>> idTokenKeySelectors = new ConcurrentHashMap<>();
    private volatile JWKSource<SecurityContext> jwkSource;

    /**
     * @param sender the provider's sender: the JWKS is read under its deadline, capped at {@value #MAX_JWKS_BYTES} bytes
     */
    IdpMetadata(OidcConfig config, BoundedSender sender, OIDCProviderMetadata metadata) {
        this.config = requireNonNull(config, "config is null");
        this.sender = requireNonNull(sender, "sender is null");
        this.metadata = requireNonNull(metadata, "metadata is null");
    }

    OIDCProviderMetadata metadata() {
        return metadata;
    }

    String issuer() {
        return metadata.getIssuer().getValue();
    }

    /** The algorithms the IdP announces for ID tokens; RS256 when it announces none (the OpenID default). */
    List<JWSAlgorithm> announcedAlgorithms() {
        List<JWSAlgorithm> algs = metadata.getIDTokenJWSAlgs();
        return algs == null || algs.isEmpty() ? List.of(JWSAlgorithm.RS256) : algs;
    }

    /** The key selector for ID tokens signed with {@code alg}, built once per algorithm that passes {@link #keySelector}. */
    JWSKeySelector<SecurityContext> idTokenKeySelector(JWSAlgorithm alg) throws SignInRejectedException {
        JWSKeySelector<SecurityContext> selector = alg == null ? null : idTokenKeySelectors.get(alg);
        if (selector == null) {
            selector = keySelector(alg, "ID token");
            idTokenKeySelectors.putIfAbsent(alg, selector);
        }
        return selector;
    }

    /** The key selector for a token signed with {@code alg}; refuses {@code none} and unannounced algorithms. */
    JWSKeySelector<SecurityContext> keySelector(JWSAlgorithm alg, String what) throws SignInRejectedException {
        if (alg == null || Algorithm.NONE.getName().equals(alg.getName())) {
            throw new SignInRejectedException(RejectionReason.TOKEN_SIGNATURE_INVALID,
                    "the " + what + " is not signed (alg none), which is never accepted");
        }
        if (!announcedAlgorithms().contains(alg)) {
            throw new SignInRejectedException(RejectionReason.TOKEN_SIGNATURE_INVALID, "the " + what + " is signed with "
                    + alg + " but the OpenID provider announces only " + announcedAlgorithms()
                    + " (id_token_signing_alg_values_supported)");
        }
        if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
            if (config.clientSecret() == null) {
                throw new SignInRejectedException(RejectionReason.TOKEN_SIGNATURE_INVALID, "the " + what + " is signed with "
                        + alg + " using the client secret, but no client secret is configured: enter the client secret,"
                        + " or choose a signing key at the OpenID provider");
            }
            byte[] secret = config.clientSecret().getBytes(StandardCharsets.UTF_8);
            return new JWSVerificationKeySelector<>(alg, new ImmutableSecret<>(secret));
        }
        if (JWSAlgorithm.Family.SIGNATURE.contains(alg)) {
            return new JWSVerificationKeySelector<>(alg, jwkSource());
        }
        throw new SignInRejectedException(RejectionReason.TOKEN_SIGNATURE_INVALID,
                "the " + what + " is signed with " + alg + ", which is not supported");
    }

    private JWKSource<SecurityContext> jwkSource() throws SignInRejectedException {
        JWKSource<SecurityContext> source = jwkSource;
        if (source == null) {
            synchronized (this) {
                if (jwkSource == null) {
                    URI jwks = metadata.getJWKSetURI();
                    if (jwks == null) {
                        throw new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE,
                                "the OpenID provider publishes no jwks_uri, so token signatures cannot be checked");
                    }
                    try {
                        // cached, refreshed when a kid is unknown, at most once per 30 s; one fetch at a time, under the
                        // IdP deadline, and the callers of a cold cache wait for it no longer than that deadline
                        jwkSource = JWKSourceBuilder.create(jwks.toURL(), new BoundedRetriever(sender.withCap(MAX_JWKS_BYTES), config.idpCalls()))
                                .cache(JWKSourceBuilder.DEFAULT_CACHE_TIME_TO_LIVE, sender.deadline().toMillis() + 1_000)
                                .rateLimited(JWKS_MIN_REFETCH_MILLIS)
                                .refreshAheadCache(false)
                                .build();
                    } catch (MalformedURLException | IllegalArgumentException e) {
                        throw new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE,
                                "the OpenID provider's jwks_uri " + jwks + " is not a usable URL", e);
                    }
                }
                source = jwkSource;
            }
        }
        return source;
    }

    /** Releases the key source. */
    void close() {
        if (jwkSource instanceof java.io.Closeable closeable) {
            try {
                closeable.close();
            } catch (java.io.IOException e) {
                // nothing left to release
            }
        }
    }
}
