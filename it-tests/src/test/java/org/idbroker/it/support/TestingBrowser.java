package org.idbroker.it.support;

import java.net.http.HttpResponse;
import java.util.List;

/** The provider test kit's browser ({@link org.idbroker.testkit.TestingBrowser}), also driving this package's broker. */
public final class TestingBrowser extends org.idbroker.testkit.TestingBrowser {

    /** Signs in through the broker's provider {@code providerId}; returns every hop, the last one the landing page. */
    public List<HttpResponse<String>> signIn(TestingBroker broker, String providerId) {
        return signIn(broker.kit(), providerId);
    }
}
