package org.ctys.inventory;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.channels.Channels;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ctys.grammar.Mac;

/**
 * A binary copy of a parsed inventory. Parsing YAML is most of the cost of a command on a large
 * inventory (10,000 machines: over a second in the launcher's JVM, as InventoryBench measures); reading
 * this copy costs a tenth of that. The copy is written only after a successful parse, so every
 * error is still reported from the YAML with its line. It holds no secrets (the inventory has
 * none), only where they are kept; but it holds addresses, BMCs and jump hosts, so whoever
 * can write it decides where ctys connects, and it is trusted as far as the inventory is:
 *
 * <ul>
 * <li>it is used only from a directory owned by the user that runs ctys, writable by nobody else,
 *     inside a directory that nobody but that user or root could rename it out of, and only when
 *     the copy itself is a regular file of that user's that nobody else can write; otherwise the
 *     YAML is parsed, and the copy rewritten where the directory allows (the directories ctys
 *     creates are made 0700);</li>
 * <li>it is used only for exactly what decides the parse: it ends with the very YAML bytes it was
 *     parsed from, compared byte for byte with the file's (no digest: SHA-256 of a 1.5 MB inventory
 *     cost 60 to 140 ms in the launcher's cold, C1-only JVM, and loading the JDK's security
 *     providers for it another 10 to 40, while comparing costs a few milliseconds and cannot
 *     collide), and it starts with the YAML's path (relative secret files are relative to it), the
 *     record shapes and the ctys build that parsed it (a build that checks more must not take an
 *     older build's word).</li>
 * </ul>
 * Any problem with the copy means "parse again"; none is an error.
 */
final class InventoryCache {
    private static final byte[] MAGIC = {'c', 't', 'y', 's', 'i', 'n', 'v', '7'};

    /**
     * The shape of the records written, from their components' names and types: a record that
     * gains or changes a field makes every older copy unreadable rather than silently stale.
     */
    private static final String SHAPE = shape(Inventory.class, Machine.class, WolSettings.class, BmcSettings.class,
            SshSettings.class, SecretRef.class, SerialSettings.class, ConsoleServer.class, BootServer.class);

    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private InventoryCache() {}

    private static String shape(Class<?>... records) {
        StringBuilder b = new StringBuilder();
        for (Class<?> r : records) {
            for (java.lang.reflect.RecordComponent c : r.getRecordComponents()) {
                b.append(r.getSimpleName()).append('.').append(c.getName()).append(':')
                        .append(c.getGenericType().getTypeName()).append(';');
            }
        }
        return b.toString();
    }

    /** The inventory of {@code file}, from the copy in {@code dir} when it is trusted and matches the content. */
    static Inventory load(Path file, byte[] content, Path dir) {
        Path copy = dir == null ? null : dir.resolve(name(file));
        boolean trusted = copy != null && CacheDirectory.isTrusted(dir);
        if (trusted && CacheDirectory.isTrustedFile(copy)) {
            try {
                Inventory inv = read(Files.readAllBytes(copy), file, content);
                if (inv != null) return inv;
            } catch (IOException | RuntimeException e) {
                // a damaged or foreign copy is not an error: the YAML is the truth
            }
        }
        Inventory inv = InventoryLoader.parse(file, content);
        if (copy != null && (trusted || CacheDirectory.create(dir))) write(copy, file, content, inv);
        return inv;
    }

    /**
     * What the copy says decides the parse, besides the YAML's bytes: the record shapes, the ctys
     * build, the YAML's absolute path and its path as given (the inventory's source).
     */
    private static byte[] header(Path file) {
        return (SHAPE + "\n" + Build.STAMP + "\n" + file.toAbsolutePath() + "\n" + file)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The inventory of the copy {@code b}, or null when it was made from anything but this header and content. */
    private static Inventory read(byte[] b, Path file, byte[] content) throws IOException {
        byte[] header = header(file);
        int records = MAGIC.length + 4 + header.length + 4;
        int end = b.length - content.length;
        if (end < records || !Arrays.equals(b, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) return null;
        ByteReader in = new ByteReader(b, end);
        in.readNBytes(MAGIC.length);
        if (in.readInt() != header.length || !Arrays.equals(b, MAGIC.length + 4, MAGIC.length + 4 + header.length,
                header, 0, header.length)) {
            return null;
        }
        in.readNBytes(header.length);
        if (in.readInt() != content.length || !Arrays.equals(b, end, b.length, content, 0, content.length)) return null;
        return read(in, file);
    }

    /** A short stable name for the copy of one inventory path (64-bit FNV-1a; the copy holds the whole path). */
    private static String name(Path file) {
        String path = file.toAbsolutePath().toString();
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < path.length(); i++) {
            h ^= path.charAt(i);
            h *= 0x100000001b3L;
        }
        String hex = Long.toHexString(h);
        return "inventory-" + "0".repeat(16 - hex.length()) + hex + ".bin";
    }

    private static void write(Path copy, Path file, byte[] content, Inventory inv) {
        Path tmp = null;
        try {
            tmp = createPrivate(copy);
            try (OutputStream os = Channels.newOutputStream(Files.newByteChannel(tmp, StandardOpenOption.WRITE));
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
                byte[] header = header(file);
                out.write(MAGIC);
                out.writeInt(header.length);
                out.write(header);
                out.writeInt(content.length);
                write(out, inv);
                // last, so that the records end where the YAML starts
                out.write(content);
            }
            try {
                Files.move(tmp, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, copy, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            // no copy this time: the next command parses the YAML again
            try {
                if (tmp != null) Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover file in the user's own cache directory is harmless
            }
        }
    }

    /**
     * A new empty file 0600 beside {@code copy}, to be renamed onto it. Not Files.createTempFile:
     * its random names come from SecureRandom, whose first use loads the JDK's security providers
     * (about 120 classes, 10 to 35 ms in the launcher's cold JVM). The directory is this user's
     * alone, so a name need not be unguessable, only new: CREATE_NEW, and another name if taken.
     */
    private static Path createPrivate(Path copy) throws IOException {
        String base = copy.getFileName().toString();
        for (int attempt = 0; ; attempt++) {
            Path tmp = copy.resolveSibling(base + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
            try {
                Files.newByteChannel(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), PRIVATE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) throw e;
            }
        }
    }

    private static void write(DataOutputStream out, Inventory inv) throws IOException {
        writeWol(out, inv.defaultWol());
        out.writeInt(inv.machines().size());
        for (Machine m : inv.machines()) writeMachine(out, m);
        out.writeInt(inv.groups().size());
        for (Map.Entry<String, List<String>> g : inv.groups().entrySet()) {
            out.writeUTF(g.getKey());
            writeStrings(out, g.getValue());
        }
        ConsoleServer cs = inv.consoleServer();
        out.writeBoolean(cs != null);
        if (cs != null) {
            str(out, cs.user());
            out.writeUTF(cs.host());
            integer(out, cs.port());
        }
        BootServer bs = inv.bootServer();
        out.writeBoolean(bs != null);
        if (bs != null) {
            str(out, bs.user());
            out.writeUTF(bs.host());
            integer(out, bs.port());
            out.writeUTF(bs.config());
        }
    }

    private static Inventory read(ByteReader in, Path file) throws IOException {
        WolSettings defaultWol = readWol(in);
        int n = in.readInt();
        List<Machine> machines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) machines.add(readMachine(in));
        int g = in.readInt();
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (int i = 0; i < g; i++) groups.put(in.readUTF(), readStrings(in));
        ConsoleServer consoleServer = in.readBoolean() ? new ConsoleServer(str(in), in.readUTF(), integer(in)) : null;
        BootServer bootServer = in.readBoolean() ? new BootServer(str(in), in.readUTF(), integer(in), in.readUTF()) : null;
        if (!in.atEnd()) throw new IOException("trailing bytes");
        return new Inventory(machines, groups, file, defaultWol, consoleServer, bootServer);
    }

    private static void writeMachine(DataOutputStream out, Machine m) throws IOException {
        out.writeUTF(m.name());
        out.writeUTF(m.host());
        out.writeShort(m.macs().size());
        for (Mac mac : m.macs()) out.write(mac.bytes());
        writeWol(out, m.wol());
        out.writeBoolean(m.bmc() != null);
        if (m.bmc() != null) {
            BmcSettings b = m.bmc();
            str(out, b.address());
            out.writeInt(b.port());
            str(out, b.user());
            secret(out, b.password());
            out.writeInt(b.cipherSuite());
            out.writeBoolean(b.allowCipherSuite0());
            secret(out, b.bmcKey());
        }
        SshSettings s = m.ssh();
        str(out, s.user());
        integer(out, s.port());
        writeStrings(out, s.jump());
        out.writeUTF(m.hypervisor().name());
        str(out, m.uri());
        out.writeInt(m.guests().size());
        for (Machine guest : m.guests().values()) writeMachine(out, guest);
        str(out, m.console());
        out.writeBoolean(m.viaHostOnly());
        str(out, m.parent());
        secret(out, m.vncPassword());
        out.writeBoolean(m.serial() != null);
        if (m.serial() != null) {
            SerialSettings s2 = m.serial();
            out.writeUTF(s2.device());
            out.writeInt(s2.speed());
            out.writeUTF(s2.parity().name());
            out.writeByte(s2.dataBits());
            out.writeByte(s2.stopBits());
            out.writeUTF(s2.flow().name());
        }
    }

    private static Machine readMachine(ByteReader in) throws IOException {
        String name = in.readUTF();
        String host = in.readUTF();
        int nm = in.readShort();
        List<Mac> macs = new ArrayList<>(nm);
        byte[] six = new byte[6];
        for (int i = 0; i < nm; i++) {
            in.readFully(six);
            macs.add(Mac.of(six));
        }
        WolSettings wol = readWol(in);
        BmcSettings bmc = in.readBoolean()
                ? new BmcSettings(str(in), in.readInt(), str(in), secret(in), in.readInt(), in.readBoolean(), secret(in))
                : null;
        SshSettings ssh = new SshSettings(str(in), integer(in), readStrings(in));
        Hypervisor hv = Hypervisor.valueOf(in.readUTF());
        String uri = str(in);
        int ng = in.readInt();
        Map<String, Machine> guests = new LinkedHashMap<>();
        for (int i = 0; i < ng; i++) {
            Machine guest = readMachine(in);
            guests.put(guest.name(), guest);
        }
        String console = str(in);
        boolean viaHostOnly = in.readBoolean();
        String parent = str(in);
        SecretRef vncPassword = secret(in);
        SerialSettings serial = in.readBoolean()
                ? new SerialSettings(in.readUTF(), in.readInt(), SerialSettings.Parity.valueOf(in.readUTF()), in.readByte(),
                        in.readByte(), SerialSettings.Flow.valueOf(in.readUTF()))
                : null;
        return new Machine(name, host, macs, wol, bmc, ssh, hv, uri, guests, console, viaHostOnly, parent, vncPassword, serial);
    }

    private static void writeWol(DataOutputStream out, WolSettings w) throws IOException {
        str(out, w.broadcast());
        integer(out, w.port());
        str(out, w.interfaceName());
        secret(out, w.secureOn());
        str(out, w.gateway());
    }

    private static WolSettings readWol(ByteReader in) throws IOException {
        return new WolSettings(str(in), integer(in), str(in), secret(in), str(in));
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) out.writeUTF(s);
    }

    private static String str(ByteReader in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void integer(DataOutputStream out, Integer i) throws IOException {
        out.writeBoolean(i != null);
        if (i != null) out.writeInt(i);
    }

    private static Integer integer(ByteReader in) throws IOException {
        return in.readBoolean() ? in.readInt() : null;
    }

    private static void secret(DataOutputStream out, SecretRef ref) throws IOException {
        out.writeByte(ref == null ? 0 : ref.kind() == SecretRef.Kind.FILE ? 1 : 2);
        if (ref != null) out.writeUTF(ref.location());
    }

    private static SecretRef secret(ByteReader in) throws IOException {
        int kind = in.readByte();
        if (kind == 0) return null;
        String location = in.readUTF();
        return new SecretRef(kind == 1 ? SecretRef.Kind.FILE : SecretRef.Kind.ENV, location);
    }

    private static void writeStrings(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list == null ? -1 : list.size());
        if (list != null) for (String s : list) out.writeUTF(s);
    }

    private static List<String> readStrings(ByteReader in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) list.add(in.readUTF());
        return list;
    }

}
