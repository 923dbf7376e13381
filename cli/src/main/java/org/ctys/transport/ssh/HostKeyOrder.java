package org.ctys.transport.ssh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.kex.extension.DefaultClientKexExtensionHandler;
import org.apache.sshd.common.session.Session;

/**
 * The host key algorithms a client proposes, ordered as OpenSSH's order_hostkeyalgs orders them:
 * those of key types already listed for the host in known_hosts first. Without it MINA proposes
 * ECDSA before Ed25519, a host known by its Ed25519 key would answer with its ECDSA key, and that
 * other key would read as a changed identity. Certificate algorithms are not proposed at all:
 * ctys does not verify host certificates, so it asks for the plain key.
 */
final class HostKeyOrder extends DefaultClientKexExtensionHandler {

    private static final String CERT = "-cert-v01@openssh.com";

    @Override
    public void handleKexInitProposal(Session session, boolean initiator, Map<KexProposalOption, String> proposal)
            throws Exception {
        super.handleKexInitProposal(session, initiator, proposal);
        if (!initiator || !(session instanceof ClientSession client) || client.getConnectionContext() == null) {
            return;
        }
        HostKeyCheck check = client.getConnectionContext().getAttribute(HostKeyCheck.KEY);
        String offered = proposal.get(KexProposalOption.SERVERKEYS);
        if (check != null && offered != null) {
            proposal.put(KexProposalOption.SERVERKEYS, order(offered, check.knownKeyTypes()));
        }
    }

    /** {@code algorithms} (comma list) without certificates, those serving a known key type first. */
    static String order(String algorithms, Set<String> knownKeyTypes) {
        List<String> first = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String a : Arrays.stream(algorithms.split(",")).filter(a -> !a.endsWith(CERT)).toList()) {
            (knownKeyTypes.contains(keyType(a)) ? first : rest).add(a);
        }
        first.addAll(rest);
        return first.stream().collect(Collectors.joining(","));
    }

    /** The key type a signature algorithm uses: RSA keys sign with SHA-2 under other names. */
    static String keyType(String algorithm) {
        return algorithm.startsWith("rsa-sha2-") ? "ssh-rsa" : algorithm;
    }
}
