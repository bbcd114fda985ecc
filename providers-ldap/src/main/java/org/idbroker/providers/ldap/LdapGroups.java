package org.idbroker.providers.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A person's groups: the entries under the group base matching the group filter whose member attribute names the
 * person's DN; with Nested Groups, also the groups naming those groups, level by level (each DN looked at once, so
 * a cycle ends), at most {@link #MAX_GROUPS}.
 */
final class LdapGroups {

    static final int MAX_GROUPS = 1000;

    private final LdapConfig config;

    LdapGroups(LdapConfig config) {
        this.config = config;
    }

    List<String> of(LDAPConnectionPool pool, String personDn) throws LDAPException {
        if (config.groupBaseDn() == null) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        Set<DN> seen = new LinkedHashSet<>();
        Deque<String> members = new ArrayDeque<>(List.of(personDn));
        while (!members.isEmpty() && seen.size() < MAX_GROUPS) {
            String member = members.poll();
            for (SearchResultEntry group : groupsNaming(pool, member)) {
                if (!seen.add(group.getParsedDN())) {
                    continue;
                }
                String name = group.getAttributeValue(config.groupNameAttribute());
                if (name != null) {
                    names.add(name);
                }
                if (config.nestedGroups()) {
                    members.add(group.getDN());
                }
            }
        }
        return new ArrayList<>(names);
    }

    private List<SearchResultEntry> groupsNaming(LDAPConnectionPool pool, String member) throws LDAPException {
        SearchRequest search = new SearchRequest(config.groupBaseDn().toString(), SearchScope.SUB,
                Filter.createANDFilter(config.groupFilter(), Filter.createEqualityFilter(config.groupMemberAttribute(), member)),
                config.groupNameAttribute());
        search.setSizeLimit(MAX_GROUPS);
        search.setTimeLimitSeconds((int) config.timeout().toSeconds());
        search.setResponseTimeoutMillis(config.timeoutMillis());
        return pool.search(search).getSearchEntries();
    }
}
