package org.ctys.transport.serial;

import com.fazecast.jSerialComm.SerialPort;

/**
 * The real {@link Port}: jSerialComm's {@code SerialPort}, non-blocking. The one class of ctys that
 * imports the library.
 */
final class JSerialCommPort implements Port {
    private final SerialPort port;

    /** @param device an existing absolute path (jSerialComm would otherwise guess one under /dev) */
    JSerialCommPort(String device) throws SerialException {
        NativeLibrary.load();
        this.port = SerialPort.getCommPort(device);
    }

    @Override
    public boolean open(LineSettings s) {
        port.setComPortParameters(s.speed(), s.dataBits(), stopBits(s.stopBits()), parity(s.parity()));
        port.setFlowControl(flow(s.flow()));
        port.setComPortTimeouts(SerialPort.TIMEOUT_NONBLOCKING, 0, 0);
        // no "safety sleep" before opening: a console opens its line once
        return port.openPort(0);
    }

    @Override
    public int lastError() { return port.getLastErrorCode(); }

    @Override
    public int read(byte[] buffer) {
        int n = port.readBytes(buffer, buffer.length);
        // jSerialComm returns -1 both for an error and for a non-blocking read that found nothing (EAGAIN)
        return n < 0 && port.getLastErrorCode() == Errno.EAGAIN ? 0 : n;
    }

    /** jSerialComm's semi-blocking reads: VMIN 0 and VTIME the timeout, the descriptor blocking. */
    @Override
    public boolean waitingReads(int millis) {
        return port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, millis, 0);
    }

    @Override
    public int available() { return port.bytesAvailable(); }

    @Override
    public int write(byte[] data, int length) { return port.writeBytes(data, length); }

    @Override
    public boolean flushOutput() { return port.flushIOBuffers(); }

    @Override
    public boolean setBreak() { return port.setBreak(); }

    @Override
    public boolean clearBreak() { return port.clearBreak(); }

    @Override
    public void close() { port.closePort(); }

    static int parity(LineSettings.Parity p) {
        return switch (p) {
            case NONE -> SerialPort.NO_PARITY;
            case EVEN -> SerialPort.EVEN_PARITY;
            case ODD -> SerialPort.ODD_PARITY;
        };
    }

    static int stopBits(int n) { return n == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT; }

    /** Both directions of each kind: CRTSCTS is one termios flag; XON/XOFF is IXON and IXOFF. */
    static int flow(LineSettings.Flow f) {
        return switch (f) {
            case NONE -> SerialPort.FLOW_CONTROL_DISABLED;
            case RTSCTS -> SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED;
            case XONXOFF -> SerialPort.FLOW_CONTROL_XONXOFF_IN_ENABLED | SerialPort.FLOW_CONTROL_XONXOFF_OUT_ENABLED;
        };
    }
}
