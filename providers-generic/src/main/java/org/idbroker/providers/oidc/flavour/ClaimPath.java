package org.idbroker.providers.oidc.flavour;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a value sits among the claims: one claim name, or names into nested objects, such as Keycloak's
 * {@code realm_access.roles}. In the dotted form a dot inside a claim name is written {@code \.}, so
 * {@code https://example\.com/roles} is the one claim {@code https://example.com/roles}.
 */
public final class ClaimPath {

    private final List<String> names;

    private ClaimPath(List<String> names) {
        if (names.isEmpty() || names.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("a claim path needs a non-empty name at every step, got " + names);
        }
        this.names = List.copyOf(names);
    }

    /** The one top-level claim of this name, dots and all. */
    public static ClaimPath name(String claim) {
        return new ClaimPath(List.of(requireNonNull(claim, "claim is null")));
    }

    /** A dotted path, {@code \.} standing for a dot within a name; {@link IllegalArgumentException} for an empty step. */
    public static ClaimPath parse(String dotted) {
        requireNonNull(dotted, "dotted is null");
        List<String> names = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < dotted.length(); i++) {
            char c = dotted.charAt(i);
            if (c == '\\' && i + 1 < dotted.length() && dotted.charAt(i + 1) == '.') {
                name.append('.');
                i++;
            } else if (c == '.') {
                names.add(name.toString());
                name.setLength(0);
            } else {
                name.append(c);
            }
        }
        names.add(name.toString());
        return new ClaimPath(names);
    }

    /** The names walked, outermost first. */
    public List<String> names() {
        return names;
    }

    /** The top-level claim the path starts at. */
    public String first() {
        return names.get(0);
    }

    /** The value at the path, or {@code null} when a step is missing or is not an object. */
    public Object find(Map<String, ?> claims) {
        Object value = claims;
        for (String name : names) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(name);
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClaimPath path && path.names.equals(names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return String.join(".", names.stream().map(n -> n.replace(".", "\\.")).toList());
    }
}
