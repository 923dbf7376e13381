package org.ctys.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Debian's OpenSSH rule for a group-writable file: its group must be its owner's alone. */
class UnixFilesTest {
    private static final List<String> PASSWD = List.of(
            "root:x:0:0:root:/root:/bin/bash",
            "alice:x:1000:1000:Alice:/home/alice:/bin/bash",
            "bob:x:1001:100:Bob:/home/bob:/bin/bash",
            "carol:x:1002:100:Carol:/home/carol:/bin/bash",
            "dave:x:1003:1003::/home/dave:/bin/sh");
    private static final List<String> GROUP = List.of(
            "root:x:0:",
            "users:x:100:",
            "staff:x:50:",
            "alice:x:1000:",
            "dave:x:1003:dave",
            "lab:x:2000:alice",
            "ops:x:2001:alice,bob",
            "shared:x:2002:erin");

    @Test
    void aGroupIsItsOwnersAloneOnlyWithExactlyThatOneMember() {
        assertThat(UnixFiles.ownersOwnGroup(1000, 1000, PASSWD, GROUP)).as("alice's private group").isTrue();
        assertThat(UnixFiles.ownersOwnGroup(1003, 1003, PASSWD, GROUP)).as("listed as its member too").isTrue();
        assertThat(UnixFiles.ownersOwnGroup(2000, 1000, PASSWD, GROUP)).as("alice its only listed member").isTrue();
        assertThat(UnixFiles.ownersOwnGroup(0, 0, PASSWD, GROUP)).as("root's").isTrue();

        assertThat(UnixFiles.ownersOwnGroup(100, 1001, PASSWD, GROUP)).as("bob and carol's primary group").isFalse();
        assertThat(UnixFiles.ownersOwnGroup(2001, 1000, PASSWD, GROUP)).as("two listed members").isFalse();
        assertThat(UnixFiles.ownersOwnGroup(2002, 1000, PASSWD, GROUP)).as("someone else listed").isFalse();
        assertThat(UnixFiles.ownersOwnGroup(50, 0, PASSWD, GROUP)).as("no member at all").isFalse();
        assertThat(UnixFiles.ownersOwnGroup(1000, 1003, PASSWD, GROUP)).as("another user's private group").isFalse();
        assertThat(UnixFiles.ownersOwnGroup(4242, 1000, PASSWD, GROUP)).as("not in /etc/group").isFalse();
    }

    @Test
    void aFileIsTrustedWhenOnlyItsOwnerOrItsOwnersOwnGroupCanWriteIt() {
        int me = UnixFiles.currentUid();
        assertThat(new UnixFiles.Stat(0100644, me, 65534).trusted()).isTrue();
        assertThat(new UnixFiles.Stat(0100646, me, 65534).trusted()).as("others can write").isFalse();
        assertThat(new UnixFiles.Stat(0100664, me, 65534).trusted()).as("nogroup can write").isFalse();
        assertThat(new UnixFiles.Stat(0100644, 65534, 65534).trusted()).as("nobody's").isFalse();
    }
}
