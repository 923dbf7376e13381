package org.ctys.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.sshd.client.SshClient;
import org.junit.jupiter.api.Test;

/** A client built ahead is taken once, by the first transport that starts; later ones build their own. */
class ClientStartTest {

    @Test
    void thePreparedClientIsTakenOnceAndNotStarted() {
        ClientStart.prepare();
        assertThat(ClientStart.waiting()).isTrue();
        SshClient first = ClientStart.take();
        assertThat(ClientStart.waiting()).isFalse();
        SshClient second = ClientStart.take();
        assertThat(first).isNotNull().isNotSameAs(second);
        assertThat(first.isStarted()).isFalse();
        assertThat(second.isStarted()).isFalse();
    }

    @Test
    void preparingTwiceBuildsOneClient() {
        ClientStart.prepare();
        ClientStart.prepare();
        ClientStart.take();
        assertThat(ClientStart.waiting()).isFalse();
    }
}
