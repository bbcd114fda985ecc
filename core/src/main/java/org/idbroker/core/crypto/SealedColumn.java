package org.idbroker.core.crypto;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * A column of values sealed with the master key ({@code bytea}), each bound to a context made from its row's key
 * column. Owned by the class that writes the column, which alone knows the context.
 *
 * @param table the table
 * @param keyColumn the column the context is made from, unique per row
 * @param valueColumn the sealed column (null values are skipped)
 * @param context the context of a row, from its key column's value
 */
public record SealedColumn(String table, String keyColumn, String valueColumn, Function<Object, String> context) {

    public SealedColumn {
        requireNonNull(table, "table is null");
        requireNonNull(keyColumn, "keyColumn is null");
        requireNonNull(valueColumn, "valueColumn is null");
        requireNonNull(context, "context is null");
    }

    /**
     * Seals every value of the column with the cipher's active key, in the caller's transaction, the rows locked
     * until it ends. Values already under that key are left as they are.
     *
     * @return how many values were sealed again
     * @throws SecretDecryptionException when a value decrypts with none of the cipher's keys
     */
    public int reseal(Handle h, SecretCipher cipher) {
        List<Map<String, Object>> rows = h.createQuery("select " + keyColumn + " as k, " + valueColumn + " as v from "
                + table + " where " + valueColumn + " is not null for update").mapToMap().list();
        int changed = 0;
        for (Map<String, Object> row : rows) {
            byte[] sealed = (byte[]) row.get("v");
            byte[] resealed;
            try {
                resealed = cipher.reseal(sealed, context.apply(row.get("k")));
            } catch (SecretDecryptionException e) {
                throw new SecretDecryptionException("a value of " + table + "." + valueColumn + " does not decrypt: "
                        + e.getMessage());
            }
            if (resealed != sealed) {
                h.createUpdate("update " + table + " set " + valueColumn + " = :v where " + keyColumn + " = :k")
                        .bind("v", resealed).bind("k", row.get("k")).execute();
                changed++;
            }
        }
        return changed;
    }
}
