package org.ctys.transport.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.client.auth.pubkey.KeyAgentIdentity;
import org.apache.sshd.client.auth.pubkey.KeyPairIdentity;
import org.apache.sshd.client.auth.pubkey.PublicKeyIdentity;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKey;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.signature.SignatureFactoriesManager;

/**
 * The keys a login offers, in OpenSSH's order (sshconnect2.c pubkey_prepare): the identity files
 * first, in the order the config gives them, each signed by ssh-agent when the agent holds that
 * key (its {@code .pub} file names it, so a passphrase-protected file the agent has unlocked works,
 * and so does a {@code .pub} alone for a key that lives only in the agent or a token); then the
 * agent's other keys, unless {@code IdentitiesOnly yes}. An agent that cannot be asked leaves the
 * files to try, as with OpenSSH. MINA offers every agent
 * key first and then the files: with six keys in the agent a server's MaxAuthTries 6 ran out
 * before the key the config names, and every host learnt all of the user's public keys.
 */
final class KeyOrder extends UserAuthPublicKeyFactory {
    /** Set on a session before its login: the identity files of its hop, and whether only they may be offered. */
    static final AttributeRepository.AttributeKey<Choice> KEY = new AttributeRepository.AttributeKey<>();

    /**
     * @param files          the identity files the config names, in order, whether or not their private key can be used
     * @param identitiesOnly IdentitiesOnly yes: no agent key but the files' own
     * @param keysOf         the key pairs a file holds (none when it is missing, unprotected, or needs a passphrase)
     * @param publicOf       the keys of the file's {@code .pub} ({@link #publicKeysBeside}, read once a run)
     */
    record Choice(List<Path> files, boolean identitiesOnly, Function<Path, Iterable<KeyPair>> keysOf,
                  Function<Path, List<PublicKey>> publicOf) {
    }

    static final KeyOrder INSTANCE = new KeyOrder();

    private KeyOrder() {
    }

    @Override
    public UserAuthPublicKey createUserAuth(ClientSession session) {
        return new UserAuthPublicKey(getSignatureFactories()) {
            @Override
            protected Iterator<PublicKeyIdentity> createPublicKeyIterator(ClientSession s, SignatureFactoriesManager manager)
                    throws Exception {
                return new Keys(s, manager);
            }
        };
    }

    /** The identities of one login, in order; closing it closes the agent connection it opened. */
    static final class Keys implements Iterator<PublicKeyIdentity>, java.io.Closeable {
        private final SshAgent agent;
        private final Iterator<PublicKeyIdentity> order;

        Keys(ClientSession session, SignatureFactoriesManager manager) throws IOException {
            Choice choice = session.getAttribute(KEY);
            if (choice == null) {
                throw new IllegalStateException("no identity choice on " + session);
            }
            SshAgentFactory factory = session.getFactoryManager().getAgentFactory();
            SshAgent asked = factory == null ? null : factory.createClient(session, session.getFactoryManager());
            Map<String, Map.Entry<PublicKey, String>> agentKeys = new LinkedHashMap<>();
            if (asked != null) {
                try {
                    for (Map.Entry<PublicKey, String> e : asked.getIdentities()) {
                        agentKeys.putIfAbsent(KeyUtils.getFingerPrint(e.getKey()), e);
                    }
                } catch (IOException | RuntimeException e) {
                    // an agent that fails to list its keys: the files are still offered, as by ssh
                    agentKeys.clear();
                    try {
                        asked.close();
                    } catch (IOException ignored) {
                        // it is given up either way
                    }
                    asked = null;
                }
            }
            agent = asked;
            List<PublicKeyIdentity> ids = new ArrayList<>();
            java.util.Set<String> offered = new java.util.HashSet<>();
            for (Path file : choice.files()) {
                for (KeyPair pair : choice.keysOf().apply(file)) {
                    String print = KeyUtils.getFingerPrint(pair.getPublic());
                    if (!offered.add(print)) continue;
                    Map.Entry<PublicKey, String> held = agentKeys.get(print);
                    ids.add(held != null ? new KeyAgentIdentity(agent, held.getKey(), held.getValue())
                            : new KeyPairIdentity(manager, session, pair));
                }
                for (PublicKey pub : choice.publicOf().apply(file)) {
                    String print = KeyUtils.getFingerPrint(pub);
                    Map.Entry<PublicKey, String> held = agentKeys.get(print);
                    if (held != null && offered.add(print)) ids.add(new KeyAgentIdentity(agent, held.getKey(), held.getValue()));
                }
            }
            if (!choice.identitiesOnly()) {
                for (Map.Entry<String, Map.Entry<PublicKey, String>> e : agentKeys.entrySet()) {
                    if (offered.add(e.getKey())) ids.add(new KeyAgentIdentity(agent, e.getValue().getKey(), e.getValue().getValue()));
                }
            }
            order = ids.iterator();
        }

        @Override
        public boolean hasNext() {
            return order.hasNext();
        }

        @Override
        public PublicKeyIdentity next() {
            return order.next();
        }

        @Override
        public void close() throws IOException {
            if (agent != null) agent.close();
        }
    }

    /** The keys of {@code FILE.pub}, if there is one: how OpenSSH knows a protected key file the agent holds. */
    static List<PublicKey> publicKeysBeside(Path file) {
        Path pub = file.resolveSibling(file.getFileName() + ".pub");
        if (!Files.isRegularFile(pub)) return List.of();
        try {
            List<PublicKey> keys = new ArrayList<>();
            for (AuthorizedKeyEntry e : AuthorizedKeyEntry.readAuthorizedKeys(pub)) {
                PublicKey k = e.resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
                if (k != null) keys.add(k);
            }
            return keys;
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            return List.of(); // an unreadable .pub names no key: the file's own key, if loaded, is still offered
        }
    }

    /** The key pairs of one file, from the provider MINA loads it with (a file it cannot read gives none). */
    static Iterable<KeyPair> load(KeyIdentityProvider provider, ClientSession session) {
        try {
            return provider.loadKeys(session);
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            return List.of();
        }
    }
}
