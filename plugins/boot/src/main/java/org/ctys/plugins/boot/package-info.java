/**
 * {@code -t boot}: boots a machine once into the recovery system, which fetches the script of its
 * job from ctys-bootd over verified HTTPS, runs it and posts the result back.
 */
package org.ctys.plugins.boot;
