package org.idbroker.it.support;

/** The PostgreSQL server the tests use: see {@link org.idbroker.testkit.TestingPostgres}. */
public final class TestingPostgres {

    private TestingPostgres() {
    }

    /** Creates an empty database and returns its JDBC URL. */
    public static String newDatabase() {
        return org.idbroker.testkit.TestingPostgres.newDatabase();
    }

    /** Drops a database made by {@link #newDatabase()}. */
    public static void dropDatabase(String jdbcUrl) {
        org.idbroker.testkit.TestingPostgres.dropDatabase(jdbcUrl);
    }

    /** The database user for every test database. */
    public static String user() {
        return org.idbroker.testkit.TestingPostgres.user();
    }
}
