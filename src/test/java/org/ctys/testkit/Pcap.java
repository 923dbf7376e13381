package org.ctys.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Just enough of the classic pcap format (as {@code tcpdump -w} writes it) to check magic
 * packets byte for byte: a 24-byte global header, then per packet a 16-byte record header and
 * the frame, read here as Ethernet II, IPv4 and UDP. Frames of other kinds are kept as
 * {@link Frame}s without a UDP part.
 */
public final class Pcap {
    public static final int LINKTYPE_ETHERNET = 1;

    /** One captured frame; the IPv4/UDP fields are null/-1 when it is not IPv4 UDP. */
    public record Frame(byte[] dstMac, byte[] srcMac, int etherType, String srcIp, String dstIp, int srcPort, int dstPort,
                 byte[] payload, byte[] raw) {

        public boolean isUdp() { return srcIp != null && dstPort >= 0; }

        public String dstMacText() { return HexFormat.ofDelimiter(":").formatHex(dstMac); }

        @Override
        public String toString() {
            return "Frame[" + HexFormat.ofDelimiter(":").formatHex(srcMac) + " > " + dstMacText()
                    + " type 0x" + Integer.toHexString(etherType)
                    + (isUdp() ? " " + srcIp + ":" + srcPort + " > " + dstIp + ":" + dstPort : "")
                    + " payload " + (payload == null ? "-" : payload.length + " bytes " + HexFormat.of().formatHex(payload)) + "]";
        }
    }

    private Pcap() {}

    public static List<Frame> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 24) throw new IOException(file + " is not a pcap file: " + all.length + " bytes");
        ByteBuffer b = ByteBuffer.wrap(all);
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        ByteOrder order;
        if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) order = ByteOrder.LITTLE_ENDIAN;
        else if (Integer.reverseBytes(magic) == 0xa1b2c3d4 || Integer.reverseBytes(magic) == 0xa1b23c4d) order = ByteOrder.BIG_ENDIAN;
        else throw new IOException(file + " is not a classic pcap file (magic " + Integer.toHexString(magic) + ")");
        b.order(order);
        int linkType = b.getInt(20);
        if (linkType != LINKTYPE_ETHERNET) throw new IOException(file + " has link type " + linkType + ", not Ethernet");
        List<Frame> frames = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= all.length) {
            int capLen = b.getInt(pos + 8);
            int origLen = b.getInt(pos + 12);
            pos += 16;
            if (capLen < 0 || pos + capLen > all.length) break; // tcpdump was stopped mid-record
            if (capLen != origLen) throw new IOException("frame truncated by the capture: " + capLen + " of " + origLen);
            frames.add(frame(Arrays.copyOfRange(all, pos, pos + capLen)));
            pos += capLen;
        }
        return frames;
    }

    public static Frame frame(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.BIG_ENDIAN);
        byte[] dst = Arrays.copyOfRange(f, 0, 6);
        byte[] src = Arrays.copyOfRange(f, 6, 12);
        int etherType = b.getShort(12) & 0xffff;
        if (etherType != 0x0800) return new Frame(dst, src, etherType, null, null, -1, -1, Arrays.copyOfRange(f, 14, f.length), f);
        int ip = 14;
        int ihl = (f[ip] & 0x0f) * 4;
        int totalLength = b.getShort(ip + 2) & 0xffff;
        int protocol = f[ip + 9] & 0xff;
        String srcIp = ipv4(f, ip + 12);
        String dstIp = ipv4(f, ip + 16);
        if (protocol != 17) return new Frame(dst, src, etherType, srcIp, dstIp, -1, -1, null, f);
        int udp = ip + ihl;
        int srcPort = b.getShort(udp) & 0xffff;
        int dstPort = b.getShort(udp + 2) & 0xffff;
        int udpLength = b.getShort(udp + 4) & 0xffff;
        if (udpLength != totalLength - ihl) {
            throw new IllegalStateException("UDP length " + udpLength + " does not fit IPv4 length " + totalLength);
        }
        byte[] payload = Arrays.copyOfRange(f, udp + 8, udp + udpLength);
        return new Frame(dst, src, etherType, srcIp, dstIp, srcPort, dstPort, payload, f);
    }

    private static String ipv4(byte[] f, int at) {
        return (f[at] & 0xff) + "." + (f[at + 1] & 0xff) + "." + (f[at + 2] & 0xff) + "." + (f[at + 3] & 0xff);
    }

    /** What a magic packet must hold: 6×0xFF, the MAC 16 times, then the SecureOn password if any. */
    public static byte[] magic(String mac, byte[] secureOn) {
        byte[] m = HexFormat.ofDelimiter(":").parseHex(mac);
        ByteBuffer b = ByteBuffer.allocate(102 + (secureOn == null ? 0 : secureOn.length));
        for (int i = 0; i < 6; i++) b.put((byte) 0xff);
        for (int i = 0; i < 16; i++) b.put(m);
        if (secureOn != null) b.put(secureOn);
        return b.array();
    }
}
