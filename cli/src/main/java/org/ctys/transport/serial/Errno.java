package org.ctys.transport.serial;

/** The few Linux errno values jSerialComm reports that ctys tells apart. */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EIO = 5;
    static final int ENXIO = 6;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int ENOTTY = 25;

    private Errno() {}

    static String describe(int errno) {
        return switch (errno) {
            // jSerialComm keeps the errno of read(2), which is 0 when the read saw the end of a hung-up line
            case 0 -> "hung up";
            case EIO -> "input/output error";
            case ENXIO -> "no such device or address";
            case ENODEV -> "no such device";
            case EBUSY -> "device busy";
            case EINVAL -> "invalid argument";
            case ENOTTY -> "not a terminal";
            case EACCES, EPERM -> "permission denied";
            default -> "errno " + errno;
        };
    }
}
