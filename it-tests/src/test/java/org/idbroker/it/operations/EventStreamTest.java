package org.idbroker.it.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.idbroker.core.events.Events;
import org.idbroker.it.support.BrokerScene;
import org.idbroker.it.support.TestingApi;
import org.idbroker.it.support.TestingBrowser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The event log read as a stream with a cursor (for a SIEM), and events removed after their retention. */
class EventStreamTest {

    @RegisterExtension
    final BrokerScene scene = BrokerScene.asTheGuideSays().withAdministrator();

    @Test
    void readsEveryEventOnceInOrderWithACursor() {
        for (int i = 0; i < 5; i++) {
            new TestingBrowser().navigate(scene.broker().uri("/api/users/authenticatedToken/GenericOidc?code=c&state=forged-" + i));
        }
        List<String> all = scene.broker().strings("select id::text from events order by id");

        List<String> read = new ArrayList<>();
        long cursor = 0;
        for (int call = 0; call < 20; call++) {
            JsonNode page = scene.admin().get("/api/events?after=" + cursor + "&limit=2").json();
            page.get("items").forEach(item -> read.add(item.get("id").asText()));
            long next = page.get("next").asLong();
            if (page.get("items").isEmpty()) {
                assertThat(next).as("no new event: the same cursor").isEqualTo(cursor);
                break;
            }
            assertThat(next).isEqualTo(page.get("items").get(page.get("items").size() - 1).get("id").asLong());
            cursor = next;
        }
        // the reads themselves add no event, so the stream is exactly the log, oldest first, once each
        assertThat(read).isEqualTo(all);

        new TestingBrowser().navigate(scene.broker().uri("/api/users/authenticatedToken/GenericOidc?code=c&state=later"));
        JsonNode later = scene.admin().get("/api/events?after=" + cursor).json().get("items");
        assertThat(later).hasSize(1);
        assertThat(later.get(0).get("reason").asText()).isEqualTo("state_unknown");
    }

    @Test
    void refusesACursorThatIsNotAnEventId() {
        TestingApi.Reply reply = scene.admin().get("/api/events?after=yesterday");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_after");
    }

    @Test
    void removesEventsOlderThanTheRetentionOnly() {
        new TestingBrowser().navigate(scene.broker().uri("/api/users/authenticatedToken/GenericOidc?code=c&state=recent"));
        scene.broker().jdbi().useHandle(h -> h.execute("""
                insert into events (at, type, outcome, reason) select now() - interval '100 days', 'sign-in', 'failure', 'old'
                from generate_series(1, 12)"""));
        long recent = scene.broker().count("select count(*) from events where reason is distinct from 'old'");

        int removed = new Events(scene.broker().jdbi()).purgeOlderThan(Instant.now().minus(Duration.ofDays(90)), 5);

        assertThat(removed).isEqualTo(12);
        assertThat(scene.broker().count("select count(*) from events where reason = 'old'")).isZero();
        assertThat(scene.broker().count("select count(*) from events")).isEqualTo(recent);
    }
}
