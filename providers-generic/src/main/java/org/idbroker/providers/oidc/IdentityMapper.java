package org.idbroker.providers.oidc;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.idbroker.providers.oidc.flavour.ClaimPath;
import org.idbroker.spi.AuthenticatedIdentity;

/** Builds the broker's identity from the ID token's claims and the userinfo claims. */
final class IdentityMapper {

    private static final Set<String> NEVER_KEPT = Set.of("access_token", "id_token", "refresh_token", "code");

    private final OidcConfig config;
    private final ClaimPath groups;

    /** @param groups where the groups are among the claims: the Role Claim Type, or a flavour's path */
    IdentityMapper(OidcConfig config, ClaimPath groups) {
        this.config = requireNonNull(config, "config is null");
        this.groups = requireNonNull(groups, "groups is null");
    }

    /**
     * Whether userinfo could change the identity built from these ID-token claims: it lacks the role claim, the
     * username claim, {@code name}, {@code email} or {@code email_verified}, or it points to claims held elsewhere
     * (aggregated or distributed claims, {@code _claim_names}).
     */
    boolean needsUserInfo(Map<String, Object> idTokenClaims) {
        return groups.find(idTokenClaims) == null || !idTokenClaims.containsKey(config.usernameClaimType())
                || !idTokenClaims.containsKey("name") || !idTokenClaims.containsKey("email")
                || !idTokenClaims.containsKey("email_verified") || idTokenClaims.containsKey("_claim_names");
    }

    /**
     * Userinfo claims, overridden by the ID token's, except a top-level role claim whose values are united (a nested
     * one comes whole from the ID token when it has it).
     */
    Map<String, Object> merge(Map<String, Object> idTokenClaims, Map<String, Object> userInfo) {
        Map<String, Object> merged = new LinkedHashMap<>(plainMap(userInfo));
        merged.putAll(plainMap(idTokenClaims));
        String role = groups.first();
        if (groups.names().size() == 1 && idTokenClaims.containsKey(role) && userInfo.containsKey(role)) {
            LinkedHashSet<String> union = new LinkedHashSet<>(strings(idTokenClaims.get(role)));
            union.addAll(strings(userInfo.get(role)));
            merged.put(role, List.copyOf(union));
        }
        NEVER_KEPT.forEach(merged::remove);
        return merged;
    }

    AuthenticatedIdentity identity(String issuer, String subject, Map<String, Object> claims, String rawIdToken) {
        String username = firstString(claims, config.usernameClaimType(), "preferred_username", "email");
        String displayName = string(claims, "name");
        if (displayName == null) {
            String joined = String.join(" ", nonNull(string(claims, "given_name"), string(claims, "family_name"))).strip();
            displayName = joined.isEmpty() ? username : joined;
        }
        Object verified = claims.get("email_verified");
        boolean emailVerified = Boolean.TRUE.equals(verified) || "true".equalsIgnoreCase(String.valueOf(verified));
        List<String> groupNames = List.copyOf(new LinkedHashSet<>(strings(groups.find(claims))));
        return new AuthenticatedIdentity(issuer, subject, username, displayName, string(claims, "email"), emailVerified,
                groupNames, claims, string(claims, "sid"), rawIdToken);
    }

    private static List<String> nonNull(String... values) {
        List<String> list = new ArrayList<>();
        for (String v : values) {
            if (v != null) {
                list.add(v);
            }
        }
        return list;
    }

    private static String firstString(Map<String, Object> claims, String... names) {
        for (String name : names) {
            String value = string(claims, name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String string(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        return value instanceof String s && !s.isBlank() ? s : null;
    }

    /** A claim holding a list of names or one name, as strings; blanks dropped. */
    static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof Collection<?> values) {
            for (Object v : values) {
                if (v instanceof String s && !s.isBlank()) {
                    out.add(s);
                } else if (v instanceof Number || v instanceof Boolean) {
                    out.add(v.toString());
                }
            }
        } else if (value instanceof String s && !s.isBlank()) {
            out.add(s);
        }
        return out;
    }

    /** Plain, immutable JSON values (String, Boolean, Long, Double, List, Map) without nulls. */
    static Map<String, Object> plainMap(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            Object plain = plain(v);
            if (k != null && plain != null) {
                out.put(k.toString(), plain);
            }
        });
        return out;
    }

    private static Object plain(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String || value instanceof Boolean || value instanceof Long || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
        }
        if (value instanceof java.util.Date date) {
            return date.getTime() / 1000;
        }
        if (value instanceof Map<?, ?> map) {
            return Map.copyOf(plainMap(map));
        }
        if (value instanceof Collection<?> values) {
            return values.stream().map(IdentityMapper::plain).filter(v -> v != null).toList();
        }
        return value.toString();
    }
}
