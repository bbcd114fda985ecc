package org.idbroker.server.operations;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * The proxies whose word is taken: only a request whose TCP peer is one of them has its
 * {@code Forwarded} / {@code X-Forwarded-*} headers applied (by Jetty's {@link ForwardedRequestCustomizer})
 * and its {@code X-Request-Id} kept. From anyone else those headers are ignored.
 */
public final class TrustedProxies implements HttpConfiguration.Customizer {

    private final InetAddressSet addresses = new InetAddressSet();
    private final boolean any;
    private final ForwardedRequestCustomizer forwarded = new ForwardedRequestCustomizer();

    /**
     * @param patterns addresses ({@code 10.0.0.5}, {@code ::1}) or CIDR ranges ({@code 10.0.0.0/8})
     * @throws IllegalArgumentException naming the first pattern that is not one
     */
    public TrustedProxies(List<String> patterns) {
        for (String pattern : patterns) {
            String trimmed = pattern.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!trimmed.matches("[0-9A-Fa-f:.]+(/[0-9]{1,3})?")) {
                throw new IllegalArgumentException("a trusted proxy must be an IP address or a CIDR range such as 10.0.0.0/8, got '"
                        + trimmed + "'");
            }
            try {
                addresses.add(trimmed);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("a trusted proxy must be an IP address or a CIDR range such as 10.0.0.0/8, got '"
                        + trimmed + "'");
            }
        }
        any = !addresses.isEmpty();
    }

    /** The request attribute set on a request whose TCP peer is trusted (forwarded headers replace the peer's address). */
    static final String FROM_TRUSTED_PROXY = TrustedProxies.class.getName() + ".trusted";

    /** Whether this request came from a trusted proxy (decided on the TCP peer, before forwarded headers apply). */
    public boolean trusts(Request request) {
        return Boolean.TRUE.equals(request.getAttribute(FROM_TRUSTED_PROXY));
    }

    boolean trusts(SocketAddress peer) {
        if (!any || !(peer instanceof InetSocketAddress socket)) {
            return false;
        }
        InetAddress address = socket.getAddress();
        return address != null && addresses.test(address);
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        if (!trusts(request.getConnectionMetaData().getRemoteSocketAddress())) {
            return request;
        }
        request.setAttribute(FROM_TRUSTED_PROXY, Boolean.TRUE);
        return forwarded.customize(request, responseHeaders);
    }
}
