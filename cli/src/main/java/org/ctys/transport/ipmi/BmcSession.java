package org.ctys.transport.ipmi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * An open session with one BMC for chassis power and boot options. Each request is bounded; one
 * that is not answered is tried again when repeating it changes nothing (a status, power on or
 * off, the boot device), never a power cycle or a reset. Close it on every path: a BMC has few
 * session slots.
 */
public final class BmcSession implements AutoCloseable {
    private static final int CHASSIS = 0x00;
    private static final int APP = 0x06;
    private final RmcpSession session;
    private final BmcAddress bmc;

    BmcSession(RmcpSession session, BmcAddress bmc) {
        this.session = session;
        this.bmc = bmc;
    }

    public BmcAddress bmc() { return bmc; }

    /** The chassis power, from Get Chassis Status (IPMI v2.0, 28.2): bit 0 of the current power state. */
    public PowerState power() throws BmcException, InterruptedException {
        return RmcpSession.await(powerAsync());
    }

    /** {@link #power()}, without waiting; the future fails with a {@link BmcException}. */
    public CompletableFuture<PowerState> powerAsync() {
        return session.request("reading the power state", CHASSIS, 0x01, new byte[0], true).thenApply(data -> {
            if (data.length < 1) {
                throw new CompletionException(new BmcException(BmcException.Kind.FAILED, "BMC " + bmc.display()
                        + " sent a short chassis status"));
            }
            return (data[0] & 0x01) != 0 ? PowerState.ON : PowerState.OFF;
        });
    }

    /** One Chassis Control request (28.3). A power cycle of a machine that is off is refused by most BMCs. */
    public void control(ChassisAction action) throws BmcException, InterruptedException {
        // a second soft off is a second press of the power button; cycle and reset are not idempotent either
        boolean repeatable = action == ChassisAction.ON || action == ChassisAction.OFF;
        session.call(action.text(), CHASSIS, 0x02, chassisControl(action), repeatable);
    }

    /** The boot device for the next boot, or for every boot when {@code persistent}. */
    public void bootDevice(BootDevice device, boolean persistent) throws BmcException, InterruptedException {
        session.call("setting the boot device to " + device.name().toLowerCase(java.util.Locale.ROOT), CHASSIS, 0x08,
                bootFlags(device, persistent), true);
    }

    /** The boot flags as the BMC holds them now (Get System Boot Options, parameter 5): what the next boot will be told. */
    public BootFlags bootFlags() throws BmcException, InterruptedException {
        byte[] data = session.call("reading the boot flags", CHASSIS, 0x09, new byte[] {0x05, 0x00, 0x00}, true);
        try {
            return BootFlags.parse(data);
        } catch (IllegalArgumentException e) {
            throw new BmcException(BmcException.Kind.FAILED, "BMC " + bmc.display() + ": " + e.getMessage());
        }
    }

    /**
     * Arms the watchdog (IPMI v2.0, 27.6 and 27.5): Set Watchdog Timer, SMS/OS, a hard reset after
     * {@code countdown} (at most {@link Watchdog#MAX_COUNTDOWN}), then Reset Watchdog Timer, which starts it.
     * Both may be repeated: a second set stops and sets again, a second reset starts the countdown over.
     */
    public void armWatchdog(java.time.Duration countdown) throws BmcException, InterruptedException {
        session.call("setting the watchdog", APP, 0x24, Watchdog.arm(countdown), true);
        session.call("starting the watchdog", APP, 0x22, new byte[0], true);
    }

    /** Stops the watchdog (Set Watchdog Timer without the don't-stop bit, no action) and clears its SMS/OS expiration flag. */
    public void disarmWatchdog(int countdown) throws BmcException, InterruptedException {
        session.call("stopping the watchdog", APP, 0x24, Watchdog.disarm(countdown), true);
    }

    /** The watchdog as the BMC holds it now (Get Watchdog Timer, 27.7). */
    public Watchdog watchdog() throws BmcException, InterruptedException {
        byte[] data = session.call("reading the watchdog", APP, 0x25, new byte[0], true);
        try {
            return Watchdog.parse(data);
        } catch (IllegalArgumentException e) {
            throw new BmcException(BmcException.Kind.FAILED, "BMC " + bmc.display() + ": " + e.getMessage());
        }
    }

    static byte[] chassisControl(ChassisAction action) { return new byte[] {(byte) action.code()}; }

    /**
     * Set System Boot Options' parameter 5, the boot flags (table 28-14): valid, for the next boot
     * only or for every boot, legacy BIOS, the device's selector.
     */
    static byte[] bootFlags(BootDevice device, boolean persistent) {
        byte flags = (byte) (0x80 | (persistent ? 0x40 : 0));
        return new byte[] {0x05, flags, (byte) device.selector(), 0, 0, 0};
    }

    /** Ends the session at the BMC (bounded) and frees its slot here; never fails. */
    @Override
    public void close() { session.close(); }

    /** {@link #close()}, without waiting; the future never fails. */
    public CompletableFuture<Void> closeAsync() { return session.end(); }
}
