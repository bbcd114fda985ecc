package org.idbroker.it.support;

import java.util.List;

/**
 * What a refused sign-in must leave untouched: the users with their external groups, the external
 * identities, and the sessions.
 *
 * @param users each user as {@code username:email:active:groups}, sorted
 * @param identities each external identity as {@code issuer|subject -> username}, sorted
 * @param sessions how many sessions exist
 */
public record BrokerState(List<String> users, List<String> identities, long sessions) {

    public static BrokerState of(TestingBroker broker) {
        return new BrokerState(
                broker.strings("select username || ':' || coalesce(email, '') || ':' || active || ':' || external_groups::text"
                        + " from users order by username"),
                broker.strings("select ei.issuer || '|' || ei.subject || ' -> ' || u.username"
                        + " from external_identities ei join users u on u.id = ei.user_id order by 1"),
                broker.count("select count(*) from sessions"));
    }
}
