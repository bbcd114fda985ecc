package org.idbroker.server.cli;

/** A command failed for a reason the operator can fix; the message says how. */
public final class CliException extends RuntimeException {

    private final int exitCode;

    public CliException(String message) {
        this(message, 1);
    }

    public CliException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** The public URL an operator gave, checked and without a trailing slash; a usage error (exit 2) when unusable. */
    static java.net.URI publicUrl(java.net.URI url) {
        try {
            return org.idbroker.server.BrokerConfig.normalizePublicUrl(url);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), 2);
        }
    }

    public int exitCode() {
        return exitCode;
    }
}
