package org.idbroker.providers.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import org.idbroker.spi.Finding;
import org.junit.jupiter.api.Test;

class DiagnosticsTest {

    @Test
    void explainsHowTheIssuerDiffers() {
        assertThat(Diagnostics.issuer("https://a/app/", "https://a/app/").severity()).isEqualTo(Finding.Severity.OK);
        assertThat(Diagnostics.issuer("https://a/app", "https://a/app/").message()).contains("trailing slash");
        assertThat(Diagnostics.issuer("https://A/app/", "https://a/app/").message()).contains("upper and lower case");
        assertThat(Diagnostics.issuer("https://a/app/", "http://a/app/").message()).contains("http://").contains("proxy");
        assertThat(Diagnostics.issuer("https://a/app/", "https://b/other/").message()).contains("different address");
    }
}
