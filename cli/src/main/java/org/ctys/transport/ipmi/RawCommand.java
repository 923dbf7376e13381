package org.ctys.transport.ipmi;

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
import org.metricshub.ipmi.core.coding.security.CipherSuite;

/**
 * An IPMI request the library has no class for, encoded by its network function, command code
 * and data bytes: Chassis Control with its power cycle and soft-off codes, Set System Boot Options.
 */
final class RawCommand extends IpmiCommandCoder {
    private final NetworkFunction function;
    private final byte command;
    private final byte[] data;

    RawCommand(CipherSuite suite, NetworkFunction function, int command, byte... data) {
        super(IpmiVersion.V20, suite, AuthenticationType.RMCPPlus);
        this.function = function;
        this.command = (byte) command;
        this.data = data.clone();
    }

    /** Chassis Control (NetFn chassis, command 02h) with one of its request codes. */
    static RawCommand chassisControl(CipherSuite suite, ChassisAction action) {
        return new RawCommand(suite, NetworkFunction.ChassisRequest, 0x02, (byte) action.code());
    }

    /**
     * Set System Boot Options (NetFn chassis, command 08h), parameter 5, the boot flags: valid,
     * for the next boot only or for every boot, legacy BIOS, the device's selector.
     */
    static RawCommand bootFlags(CipherSuite suite, BootDevice device, boolean persistent) {
        byte flags = (byte) (0x80 | (persistent ? 0x40 : 0));
        return new RawCommand(suite, NetworkFunction.ChassisRequest, 0x08,
                (byte) 0x05, flags, (byte) device.selector(), (byte) 0, (byte) 0, (byte) 0);
    }

    @Override
    public byte getCommandCode() { return command; }

    @Override
    public NetworkFunction getNetworkFunction() { return function; }

    @Override
    protected IpmiPayload preparePayload(int sequenceNumber) {
        return new IpmiLanRequest(function, command, data.clone(), (byte) sequenceNumber);
    }

    @Override
    public ResponseData getResponseData(IpmiMessage message) throws IPMIException {
        if (!isCommandResponse(message) || !(message.getPayload() instanceof IpmiLanResponse response)) {
            throw new IllegalArgumentException("not the response to command " + Integer.toHexString(command & 0xff));
        }
        if (response.getCompletionCode() != CompletionCode.Ok) throw new IPMIException(response.getCompletionCode());
        return new Response(response.getData() == null ? new byte[0] : response.getData().clone());
    }

    /** The data bytes of a response, after its completion code. */
    record Response(byte[] data) implements ResponseData {
    }
}
