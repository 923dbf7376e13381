package org.ctys.spi;

import java.util.function.Predicate;

/**
 * A command that, started on the machine a {@link WaitForState} asks, prints a line whenever a state
 * there changes ({@code virsh event --loop}): the wait is met as soon as one of its lines says so,
 * between its tries, which still run as before. It ends when its standard input closes.
 *
 * @param name    what the report calls it ("virsh event")
 * @param command a shell command line, for the machine's shell
 * @param says    whether a line says the wanted state now holds
 */
public record StateWatch(String name, String command, Predicate<String> says) {}
