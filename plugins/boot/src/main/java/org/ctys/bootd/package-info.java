/**
 * ctys-bootd, the boot server of secure remote boot: serves the recovery image over plain HTTP to
 * PXE firmware, each machine's one-time script over HTTPS to the machine holding that job's token,
 * takes the script's result back, and builds the recovery image. Its own entry point in ctys's jar;
 * {@code -t boot} reaches it over SSH only (its job commands), never by importing it.
 */
package org.ctys.bootd;
