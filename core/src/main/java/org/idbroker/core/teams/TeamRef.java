package org.idbroker.core.teams;

import java.util.UUID;

/** A team named in a user's view. */
public record TeamRef(UUID id, String name) {
}
