package org.ctys.transport.ipmi;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import org.metricshub.ipmi.core.coding.commands.IpmiCommandCoder;
import org.metricshub.ipmi.core.coding.commands.IpmiVersion;
import org.metricshub.ipmi.core.coding.commands.ResponseData;
import org.metricshub.ipmi.core.coding.payload.CompletionCode;
import org.metricshub.ipmi.core.coding.payload.IpmiPayload;
import org.metricshub.ipmi.core.coding.payload.lan.IPMIException;
import org.metricshub.ipmi.core.coding.payload.lan.IpmiLanRequest;
import org.metricshub.ipmi.core.coding.payload.lan.IpmiLanResponse;
import org.metricshub.ipmi.core.coding.payload.lan.NetworkFunction;
import org.metricshub.ipmi.core.coding.protocol.AuthenticationType;
import org.metricshub.ipmi.core.coding.protocol.IpmiMessage;
import org.metricshub.ipmi.core.coding.protocol.PayloadType;
import org.metricshub.ipmi.core.coding.security.CipherSuite;

/**
 * Get Payload Instance Info (IPMI v2.0, 24.5; NetFn App, command 4Bh): which session a payload
 * instance is activated under. Get Payload Activation Status only says that an instance is active,
 * not for whom, so a console another session took over with FORCE still looks active; this answer
 * names the owner. The IPMI library has no class for the command, and it has to go through the
 * library's session (the one that holds the SOL payload, its keys and sequence numbers), so it is
 * coded here on the library's command base, as the library codes its other payload commands.
 */
final class GetPayloadInstanceInfo extends IpmiCommandCoder {
    static final byte COMMAND = 0x4B;
    private final PayloadType payload;
    private final int instance;

    /** The owner of a payload instance: the session ID as the BMC numbers its sessions, 0 when not active. */
    record Owner(int sessionId) implements ResponseData {
        boolean none() { return sessionId == 0; }

        @Override
        public String toString() { return String.format("%08Xh", sessionId); }
    }

    GetPayloadInstanceInfo(CipherSuite suite, PayloadType payload, int instance) {
        super(IpmiVersion.V20, suite, AuthenticationType.RMCPPlus);
        this.payload = payload;
        this.instance = instance;
    }

    @Override
    public byte getCommandCode() { return COMMAND; }

    @Override
    public NetworkFunction getNetworkFunction() { return NetworkFunction.ApplicationRequest; }

    /** Request data: the payload type, then the instance (1 for the first). */
    static byte[] request(PayloadType payload, int instance) {
        return new byte[] {(byte) payload.getCode(), (byte) instance};
    }

    /**
     * Response data after the completion code: the session ID (4 bytes, least significant first),
     * then 8 bytes of payload-specific information (for SOL, the serial port), which are not needed.
     */
    static Owner owner(byte[] data) {
        if (data == null || data.length < 4) {
            throw new IllegalArgumentException("a Get Payload Instance Info answer of " + (data == null ? 0 : data.length)
                    + " bytes, shorter than its 4-byte session ID");
        }
        return new Owner((data[0] & 0xFF) | (data[1] & 0xFF) << 8 | (data[2] & 0xFF) << 16 | (data[3] & 0xFF) << 24);
    }

    @Override
    protected IpmiPayload preparePayload(int sequenceNumber) throws NoSuchAlgorithmException, InvalidKeyException {
        return new IpmiLanRequest(getNetworkFunction(), getCommandCode(), request(payload, instance), (byte) sequenceNumber);
    }

    @Override
    public ResponseData getResponseData(IpmiMessage message) throws IPMIException, NoSuchAlgorithmException, InvalidKeyException {
        if (!isCommandResponse(message) || !(message.getPayload() instanceof IpmiLanResponse response)) {
            throw new IllegalArgumentException("not an answer to Get Payload Instance Info");
        }
        if (response.getCompletionCode() != CompletionCode.Ok) throw new IPMIException(response.getCompletionCode());
        return owner(response.getData());
    }
}
