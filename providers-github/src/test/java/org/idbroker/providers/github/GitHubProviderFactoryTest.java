package org.idbroker.providers.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.idbroker.spi.InvalidSettingsException;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.ProviderSettings;
import org.idbroker.spi.SignInRequest;
import org.idbroker.spi.SignInStart;
import org.junit.jupiter.api.Test;

class GitHubProviderFactoryTest {

    private static final URI CALLBACK = URI.create("https://broker.example.com/api/users/authenticatedToken/GitHub");

    private static GitHubConfig config(String... pairs) throws InvalidSettingsException {
        Map<String, String> values = new HashMap<>(Map.of("clientId", "Iv1.abc", "clientSecret", "s3cret"));
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return GitHubProviderFactory.config(new ProviderContext("GitHub", new ProviderSettings(values), CALLBACK));
    }

    @Test
    void githubComHasItsApiAtApiGithubComAndAnEnterpriseServerAtApiV3() throws Exception {
        GitHubConfig com = config();
        assertThat(com.issuer()).isEqualTo("https://github.com");
        assertThat(com.authorizeUri()).hasToString("https://github.com/login/oauth/authorize");
        assertThat(com.tokenUri()).hasToString("https://github.com/login/oauth/access_token");
        assertThat(com.apiUri()).hasToString("https://api.github.com");

        GitHubConfig enterprise = config("baseUrl", "https://github.example.com/");
        assertThat(enterprise.issuer()).isEqualTo("https://github.example.com");
        assertThat(enterprise.apiUri()).hasToString("https://github.example.com/api/v3");
    }

    @Test
    void theAuthorizationRequestCarriesStateAndAnS256ChallengeOfTheRememberedVerifier() throws Exception {
        SignInStart start = new GitHubProvider(config()).startSignIn(new SignInRequest("the-state"));

        String query = start.authorizationUri().getRawQuery();
        String verifier = start.remember().get(GitHubProvider.REMEMBER_CODE_VERIFIER);
        assertThat(verifier).matches("[A-Za-z0-9_-]{43}");
        assertThat(query).contains("client_id=Iv1.abc", "state=the-state", "code_challenge_method=S256",
                "code_challenge=" + GitHubProvider.challenge(verifier), "scope=read%3Auser+user%3Aemail+read%3Aorg");
        // RFC 7636, appendix B
        assertThat(GitHubProvider.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void refusesSettingsThatCannotWorkNamingTheField() {
        assertRefused("baseUrl", "https", "baseUrl", "http://github.example.com");
        assertRefused("baseUrl", "without a query", "baseUrl", "https://github.example.com/?x=1");
        assertRefused("teamNameField", "slug or name", "teamNameField", "login");
        assertRefused("idpTimeoutSeconds", "between 1 and 60", "idpTimeoutSeconds", "0");
        assertRefused("scopes", "read:org", "scopes", "read:user user:email", "allowedOrganizations", "acme");
        assertRefused("clientSecret", "client secret is required", "clientSecret", "");
    }

    private static void assertRefused(String setting, String message, String... pairs) {
        assertThatThrownBy(() -> config(pairs)).isInstanceOfSatisfying(InvalidSettingsException.class, e -> {
            assertThat(e.setting()).isEqualTo(setting);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void neverPrintsTheSecret() throws Exception {
        assertThat(config().toString()).doesNotContain("s3cret");
    }
}
