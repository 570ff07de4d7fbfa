package io.connectionmanager.test.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses ports for servers that restart on the same port. A port from the ephemeral
 * range can be taken, while the server is down, by a client's own reconnect attempt:
 * Linux then completes a TCP "self-connect" (the client's local port equals the port it
 * dials) and the restart fails with "address in use". Real servers listen below that
 * range; so do ours.
 */
final class ServerPorts {

	private static final int LOWEST = 10_000;

	private ServerPorts() {
	}

	/**
	 * A random candidate below the ephemeral range, or 0 (let the OS choose) if the range
	 * is unknown or too low.
	 */
	static int candidate() {
		int firstEphemeral = firstEphemeralPort();
		if (firstEphemeral <= LOWEST + 1000) {
			return 0;
		}
		return ThreadLocalRandom.current().nextInt(LOWEST, firstEphemeral);
	}

	private static int firstEphemeralPort() {
		// One buffered read at offset 0: sysctl files answer EOF to reads at a later
		// offset, and Files.readString
		// starts with a one-byte read on files whose size reads as 0.
		try (BufferedReader reader = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
			String range = reader.readLine().trim();
			return Integer.parseInt(range.split("\\s+")[0]);
		}
		catch (IOException | RuntimeException e) {
			return 0;
		}
	}

}
