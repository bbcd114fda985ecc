package org.idbroker.providers.ldap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;

/** Active Directory's {@code objectGUID}: 16 bytes, the first three fields little-endian, shown as a UUID. */
final class ObjectGuid {

    private ObjectGuid() {
    }

    /** The UUID string Active Directory's own tools show for these bytes; {@code null} unless there are 16 of them. */
    static String toUuid(byte[] guid) {
        if (guid.length != 16) {
            return null;
        }
        ByteBuffer little = ByteBuffer.wrap(guid).order(ByteOrder.LITTLE_ENDIAN);
        long data1 = little.getInt(0) & 0xFFFFFFFFL;
        long data2 = little.getShort(4) & 0xFFFFL;
        long data3 = little.getShort(6) & 0xFFFFL;
        long high = (data1 << 32) | (data2 << 16) | data3;
        long low = ByteBuffer.wrap(guid, 8, 8).order(ByteOrder.BIG_ENDIAN).getLong();
        return new UUID(high, low).toString();
    }
}
