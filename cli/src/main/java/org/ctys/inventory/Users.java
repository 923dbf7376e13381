package org.ctys.inventory;

/** The user ctys runs as, for the ownership checks of secret files and the inventory cache. */
final class Users {

    private Users() {}

    /** The real user id, as getuid(2) gives it. */
    static long current() { return new com.sun.security.auth.module.UnixSystem().getUid(); }
}
