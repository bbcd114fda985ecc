package org.idbroker.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.idbroker.core.TestingDatabase;
import org.idbroker.core.teams.Team;
import org.idbroker.core.teams.Teams;
import org.idbroker.core.users.UserAdministration;
import org.idbroker.core.users.UserAdministration.UserInput;
import org.idbroker.core.users.Users;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The last active direct member of Administrators cannot be disabled, deleted or removed. */
class AdministratorsTest {

    private TestingDatabase db;
    private Users users;
    private UserAdministration administration;
    private Teams teams;
    private UUID root;
    private UUID administrators;

    @BeforeEach
    void start() {
        db = TestingDatabase.start();
        users = new Users(db.jdbi());
        administration = new UserAdministration(db.jdbi());
        teams = new Teams(db.jdbi());
        root = users.seedAdministrator("root", "root@example.com").user().id();
        administrators = teams.list().stream().filter(Team::isAdministrators).findFirst().orElseThrow().id();
    }

    @AfterEach
    void stop() {
        db.close();
    }

    @Test
    void theLastAdministratorCannotBeDisabledDeletedOrRemoved() {
        assertThatThrownBy(() -> administration.update(root, new UserInput(null, null, null, false), root))
                .isInstanceOfSatisfying(ChangeRefusedException.class, e -> assertThat(e.code()).isEqualTo("last_administrator"));
        assertThatThrownBy(() -> administration.delete(root, root))
                .isInstanceOfSatisfying(ChangeRefusedException.class, e -> assertThat(e.code()).isEqualTo("last_administrator"));
        assertThatThrownBy(() -> teams.removeMember(administrators, root, root))
                .isInstanceOfSatisfying(ChangeRefusedException.class, e -> assertThat(e.code()).isEqualTo("last_administrator"));
        assertThat(users.find(root).orElseThrow().active()).isTrue();
    }

    @Test
    void withASecondActiveAdministratorTheFirstCanGo() {
        UUID second = users.seedAdministrator("deputy", "deputy@example.com").user().id();

        teams.removeMember(administrators, root, second);

        assertThat(teams.find(administrators).orElseThrow().members()).extracting(m -> m.id()).containsExactly(second);
        assertThatThrownBy(() -> administration.delete(second, second))
                .isInstanceOfSatisfying(ChangeRefusedException.class, e -> assertThat(e.code()).isEqualTo("last_administrator"));
    }

    @Test
    void aDisabledMemberDoesNotCountAsTheOtherAdministrator() {
        UUID second = users.seedAdministrator("deputy", "deputy@example.com").user().id();
        administration.update(second, new UserInput(null, null, null, false), root);

        assertThatThrownBy(() -> administration.delete(root, root))
                .isInstanceOfSatisfying(ChangeRefusedException.class, e -> assertThat(e.code()).isEqualTo("last_administrator"));
    }
}
