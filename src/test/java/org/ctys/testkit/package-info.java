/**
 * The one fixture kit of the integration tests: real peers and real networks, started and ended
 * by the tests themselves.
 * <ul>
 * <li>{@link org.ctys.testkit.Proc} runs a program to its end within a limit (output to files,
 * the whole process tree killed past the limit), requires tools by Debian package, and root.</li>
 * <li>{@link org.ctys.testkit.CtysRunner} runs ctys in its own JVM from the test classpath with a
 * clean environment: the test's HOME, chosen inventory and ethers, optional stdin, extra
 * environment, network namespace; to its end, in the background, or on a terminal.</li>
 * <li>{@link org.ctys.testkit.NetLab} makes hosts out of network namespaces: segments, links,
 * hop chains; nothing it makes can send a packet off the machine.</li>
 * <li>{@link org.ctys.testkit.OpenSshd} and {@link org.ctys.testkit.SshKey}: OpenSSH servers and
 * key pairs; {@link org.ctys.testkit.SilentPeer} a TCP peer that never speaks.</li>
 * <li>{@link org.ctys.testkit.Capture} and {@link org.ctys.testkit.Pcap}: tcpdump in a namespace
 * and the frames it wrote.</li>
 * <li>{@link org.ctys.testkit.Tmux} real terminals; {@link org.ctys.testkit.Transcript} what a
 * reader (a serial line, a console) has seen, waited on.</li>
 * <li>{@link org.ctys.testkit.Libvirt}: libvirtd and virtlogd run by the test, with tiny QEMU
 * guests ({@link org.ctys.testkit.TinyGuest}) that power off on {@code virsh shutdown}, ignore
 * it, or take a set time; {@link org.ctys.testkit.VirshHost} an SSH host to run virsh on.</li>
 * <li>{@link org.ctys.testkit.VmBmc}: a QEMU machine whose BMC is ipmi_sim: IPMI power starts
 * and stops it, a one-time boot device makes it boot PXE (iPXE over HTTP) or CD once.</li>
 * </ul>
 */
package org.ctys.testkit;
