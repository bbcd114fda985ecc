package org.idbroker.server.cli;

import picocli.CommandLine;

/** The version printed by {@code --version}. */
public final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Version.class.getPackage().getImplementationVersion();
        return new String[] {"IdBroker " + (version == null ? "development build" : version)};
    }
}
