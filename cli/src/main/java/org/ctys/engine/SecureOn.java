package org.ctys.engine;

import java.nio.charset.StandardCharsets;
import org.ctys.exit.CtysException;
import org.ctys.grammar.Mac;
import org.ctys.inventory.SecretRef;

/**
 * Reads a SecureOn password: six bytes written like a MAC (as etherwake takes it) or four
 * written like an IPv4 address. The error never shows the content.
 */
final class SecureOn {

    private SecureOn() {}

    static byte[] read(SecretRef ref) {
        byte[] raw = ref.read();
        String text = new String(raw, StandardCharsets.US_ASCII).trim();
        java.util.Arrays.fill(raw, (byte) 0);
        Mac six = Mac.tryParse(text);
        if (six != null) return six.bytes();
        if (text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            String[] parts = text.split("\\.");
            byte[] four = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) break;
                four[i] = (byte) v;
                if (i == 3) return four;
            }
        }
        throw CtysException.config("SecureOn password in " + ref
                + " is not 6 bytes written like aa:bb:cc:dd:ee:ff nor 4 written like 1.2.3.4");
    }
}
