package org.idbroker.core.providers;

import java.util.Optional;

/** The provider instances this node can sign people in with, as the host built them. */
public interface ProviderDirectory {

    /** The instance with this id, usable or not, or empty when there is none. */
    Optional<ConfiguredProvider> find(String id);
}
