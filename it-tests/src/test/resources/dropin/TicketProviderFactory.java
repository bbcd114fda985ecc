package org.example.ticket;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.CallbackRequest;
import org.idbroker.spi.Finding;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.InvalidSettingsException;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SettingDescriptor;
import org.idbroker.spi.SignInRejectedException;
import org.idbroker.spi.SignInRequest;
import org.idbroker.spi.SignInStart;

/**
 * A drop-in IdP module for a ticket sign-in service (the way CAS works): the browser signs in at
 * SERVER/login and comes back with a one-time ticket, which the provider checks at SERVER/validate.
 * It uses nothing but the JDK and the IdBroker SPI.
 */
public final class TicketProviderFactory implements IdentityProviderFactory {

    @Override
    public String type() {
        return "ticket";
    }

    @Override
    public String displayName() {
        return "Ticket sign-in service";
    }

    @Override
    public List<SettingDescriptor> settings() {
        return List.of(SettingDescriptor.url("serverUrl", "Server URL",
                "The address of the ticket service, such as https://tickets.example.com/.", true));
    }

    @Override
    public IdentityProvider create(ProviderContext context) throws InvalidSettingsException {
        String url = context.settings().require("serverUrl");
        URI server = URI.create(url.endsWith("/") ? url : url + "/");
        if (!server.isAbsolute()) {
            throw new InvalidSettingsException("serverUrl", "must be an absolute URL, got '" + url + "'");
        }
        return new TicketProvider(server, context.redirectUri());
    }

    /** One configured ticket service. */
    static final class TicketProvider implements IdentityProvider {

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final URI server;
        private final URI service;

        TicketProvider(URI server, URI service) {
            this.server = server;
            this.service = service;
        }

        @Override
        public SignInStart startSignIn(SignInRequest request) {
            URI login = server.resolve("login?service=" + encode(service.toString()) + "&state=" + encode(request.state()));
            return new SignInStart(login, Map.of("state", request.state()));
        }

        @Override
        public AuthenticatedIdentity finishSignIn(CallbackRequest callback, Map<String, String> remembered)
                throws SignInRejectedException {
            String ticket = callback.single("ticket").orElseThrow(() -> new SignInRejectedException(
                    RejectionReason.INVALID_CALLBACK, "the ticket service sent no ticket: start the sign-in again"));
            if (!callback.single("state").orElse("").equals(remembered.get("state"))) {
                throw new SignInRejectedException(RejectionReason.INVALID_CALLBACK, "the callback belongs to another sign-in");
            }
            URI validate = server.resolve("validate?ticket=" + encode(ticket) + "&service=" + encode(service.toString()));
            HttpResponse<String> answer;
            try {
                answer = http.send(HttpRequest.newBuilder(validate).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE, "the ticket service " + server
                        + " cannot be reached: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE, "interrupted");
            }
            if (answer.statusCode() != 200) {
                throw new SignInRejectedException(RejectionReason.CODE_REJECTED, "the ticket service refused the ticket");
            }
            Map<String, String> values = new HashMap<>();
            answer.body().lines().filter(line -> line.contains("=")).forEach(line ->
                    values.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
            String user = values.get("user");
            if (user == null) {
                throw new SignInRejectedException(RejectionReason.CLAIM_MISSING, "the ticket service named no user");
            }
            List<String> groups = values.getOrDefault("groups", "").isEmpty() ? List.of()
                    : List.of(values.get("groups").split(","));
            return new AuthenticatedIdentity(server.toString(), user, user, values.get("name"), values.get("email"),
                    "true".equals(values.get("emailVerified")), groups, Map.copyOf(values), null, null);
        }

        /** The doctor's check of this type: the ticket service answers at SERVER/validate. */
        @Override
        public List<Finding> diagnose() {
            URI validate = server.resolve("validate");
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(validate).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return List.of(Finding.ok("ticket service", validate + " answers (HTTP " + answer.statusCode() + ")"));
            } catch (IOException e) {
                return List.of(Finding.fail("ticket service", validate + " cannot be reached: " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of(Finding.fail("ticket service", "interrupted"));
            }
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }
}
