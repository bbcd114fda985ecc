package org.idbroker.it.support;

import static java.util.Objects.requireNonNull;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The set-up most integration tests share, as a JUnit 5 extension: an OpenID provider ({@link TestingIdp}), a broker
 * on a fresh database ({@link TestingBroker}) whose provider {@code GenericOidc} points at it, set up through
 * {@code configure} as an operator would, and, when asked, the administrator {@code boss} seeded with {@code admin}
 * and signed in through the IdP ({@link TestingApi#signInAdministrator}).
 *
 * <pre>{@code
 * @RegisterExtension
 * final BrokerScene scene = BrokerScene.asTheGuideSays().withAdministrator();
 * }</pre>
 *
 * <p>In an instance field everything is made before each test and closed after it; in a static field, once for the
 * class. A test class's own {@code @BeforeEach} runs after the scene is up, its {@code @AfterEach} before it closes.
 */
public final class BrokerScene implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    private final String[] configureOptions;
    private final boolean administrator;
    private boolean perClass;
    private TestingIdp idp;
    private TestingBroker broker;
    private TestingApi admin;

    private BrokerScene(String[] configureOptions, boolean administrator) {
        this.configureOptions = configureOptions;
        this.administrator = administrator;
    }

    /** {@code GenericOidc} as the Authentik guide sets it up ({@link TestingBroker#configureAsTheGuideSays}). */
    public static BrokerScene asTheGuideSays() {
        return new BrokerScene(null, false);
    }

    /**
     * {@code GenericOidc} enabled on the IdP with these {@code configure} options added to the issuer, client and
     * secret ({@link TestingBroker#configureOidc}), such as {@code "--scopes", "openid profile email"}.
     */
    public static BrokerScene configured(String... configureOptions) {
        return new BrokerScene(requireNonNull(configureOptions, "configureOptions is null").clone(), false);
    }

    /** The same, with the administrator {@code boss} signed in: {@link #admin()}. */
    public BrokerScene withAdministrator() {
        return new BrokerScene(configureOptions, true);
    }

    public TestingIdp idp() {
        return requireNonNull(idp, "the scene is not up: register it with @RegisterExtension");
    }

    public TestingBroker broker() {
        return requireNonNull(broker, "the scene is not up: register it with @RegisterExtension");
    }

    /** The administrator's API client; only in a scene made {@link #withAdministrator()}. */
    public TestingApi admin() {
        if (!administrator) {
            throw new IllegalStateException("this scene has no administrator: make it withAdministrator()");
        }
        return requireNonNull(admin, "the scene is not up: register it with @RegisterExtension");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private void start() {
        idp = TestingIdp.start();
        try {
            broker = TestingBroker.start();
            if (configureOptions == null) {
                broker.configureAsTheGuideSays(idp);
            } else {
                broker.configureOidc("GenericOidc", idp, configureOptions);
            }
            admin = administrator ? TestingApi.signInAdministrator(broker, idp) : null;
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    private void stop() {
        try {
            if (broker != null) {
                broker.close();
            }
        } finally {
            if (idp != null) {
                idp.close();
            }
            broker = null;
            idp = null;
            admin = null;
        }
    }
}
