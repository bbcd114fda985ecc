package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.it.support.TestingLdap;
import org.idbroker.testkit.RefusalPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two broker nodes on one PostgreSQL count the same wrong passwords: a burst spread over both is throttled on both. */
class PasswordThrottleAcrossNodesTest {

    private TestingLdap directory;
    private TestingBroker nodeA;
    private TestingBroker nodeB;

    @BeforeEach
    void start() {
        directory = TestingLdap.start();
        nodeA = TestingBroker.start();
        nodeB = TestingBroker.anotherNode(nodeA);
        List<String> args = new ArrayList<>(List.of("--provider", "Corp", "--type", "ldap", "--enabled", "true",
                "--allow-auto-user-creation", "true"));
        args.addAll(directory.settings(org.idbroker.testkit.TestingBroker.writeTemp(TestingLdap.SERVICE_PASSWORD).toString()));
        nodeA.configure(args.toArray(String[]::new));
        nodeB.kit().refreshProviders();
    }

    @AfterEach
    void stop() {
        nodeB.close();
        nodeA.close();
        directory.close();
    }

    @Test
    void wrongPasswordsOnOneNodeThrottleTheNextAttemptOnTheOther() {
        TestingBrowser browser = new TestingBrowser();
        for (int i = 0; i < 5; i++) {
            TestingBroker node = i % 2 == 0 ? nodeA : nodeB;
            assertThat(refusal(browser.signInWithPassword(node.kit(), "Corp", null, "alice", "wrong-" + i)).code())
                    .isEqualTo("invalid_credentials");
        }

        List<HttpResponse<String>> hops = browser.signInWithPassword(nodeB.kit(), "Corp", null, "alice", TestingLdap.ALICE_PASSWORD);

        assertThat(refusal(hops).status()).isEqualTo(429);
        assertThat(refusal(hops).message()).contains("Try again in");
        assertThat(hops.get(hops.size() - 1).headers().firstValue("Retry-After")).isPresent();
        assertThat(nodeA.count("select count(*) from users")).isZero();
    }

    private static RefusalPage refusal(List<HttpResponse<String>> hops) {
        HttpResponse<String> last = hops.get(hops.size() - 1);
        return RefusalPage.of(last).orElseThrow(() -> new AssertionError(last.statusCode() + " " + last.body()));
    }
}
