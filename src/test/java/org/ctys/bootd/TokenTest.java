package org.ctys.bootd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenTest {
    @Test
    void aTokenIs32RandomBytesInBase64UrlAndEachIsNew() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String t = Token.create();
            assertThat(t).matches("[A-Za-z0-9_-]{43}");
            assertThat(Base64.getUrlDecoder().decode(t)).hasSize(32);
            assertThat(seen.add(t)).isTrue();
        }
    }

    @Test
    void onlyTheTokenItselfMatchesItsStoredHashAndTheHashDoesNotHoldIt() {
        String t = Token.create();
        String hash = Token.sha256(t);
        assertThat(hash).matches("[0-9a-f]{64}").doesNotContain(t);
        assertThat(Token.matches(t, hash)).isTrue();
        assertThat(Token.matches(t.substring(1), hash)).isFalse();
        assertThat(Token.matches(t + "x", hash)).isFalse();
        assertThat(Token.matches(Token.create(), hash)).isFalse();
        assertThat(Token.matches(hash, hash)).as("the hash is no token").isFalse();
        assertThat(Token.matches(null, hash)).isFalse();
        assertThat(Token.matches(t, "not hex")).isFalse();
    }
}
