/**
 * The integration tests' harness: real servers and clients around a broker started in the test's JVM.
 *
 * <p>Most tests need the same scene: an OpenID provider, a broker on a fresh database whose {@code GenericOidc}
 * points at it, and often a signed-in administrator. Register {@link org.idbroker.it.support.BrokerScene} instead
 * of starting and closing them by hand:
 *
 * <pre>{@code
 * @RegisterExtension
 * final BrokerScene scene = BrokerScene.asTheGuideSays().withAdministrator();   // or a static field: once per class
 *
 * @Test
 * void something() {
 *     scene.admin().post("/api/teams", "{\"name\": \"Testers\"}");              // TestingApi, signed in as boss
 *     scene.idp().nextSignIn("sub-alice", Map.of("email", "alice@example.com"));
 *     new TestingBrowser().signIn(scene.broker(), "GenericOidc");
 * }
 * }</pre>
 *
 * <p>{@code asTheGuideSays()} configures the provider as the Authentik guide does (groups, preferred_username,
 * automatic user creation); {@code configured("--scopes", "openid profile email")} passes other {@code configure}
 * options instead. A test that needs another IdP (a browser-facing one, a hostile one) or several brokers builds
 * them itself with {@link org.idbroker.it.support.TestingIdp}, {@link org.idbroker.it.support.TestingBroker} and
 * {@link org.idbroker.it.support.HostileScene}.
 */
package org.idbroker.it.support;
