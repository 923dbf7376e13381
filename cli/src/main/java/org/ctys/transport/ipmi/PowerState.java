package org.ctys.transport.ipmi;

/** The chassis power as the BMC reports it. */
public enum PowerState {
    ON, OFF;

    public String word() { return this == ON ? "on" : "off"; }
}
