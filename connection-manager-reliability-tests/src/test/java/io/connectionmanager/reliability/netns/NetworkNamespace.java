package io.connectionmanager.reliability.netns;

import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A private network namespace joined to this one by a veth pair on a /30 of 10.231.0.0/16
 * that exists only between the two ends: traffic to the peer address leaves through a
 * real (virtual) link, where {@code tc} can drop, delay, reorder or throttle it. Names
 * and the subnet are random per instance so that parallel runs do not collide.
 */
public final class NetworkNamespace implements AutoCloseable {

	private final String name;

	private final String hostDevice;

	private final String peerDevice;

	private final String hostAddress;

	private final String peerAddress;

	private final Thread cleanupOnExit = new Thread(this::delete, "netns-cleanup");

	private NetworkNamespace(String suffix, int subnet) {
		this.name = "cmr-" + suffix;
		this.hostDevice = "cmr" + suffix + "h";
		this.peerDevice = "cmr" + suffix + "p";
		int third = subnet >> 6;
		int fourth = (subnet & 63) * 4;
		this.hostAddress = "10.231." + third + "." + (fourth + 1);
		this.peerAddress = "10.231." + third + "." + (fourth + 2);
	}

	/**
	 * Why a namespace cannot be made here, or {@code null} if it can: Linux, root,
	 * {@code ip} and {@code tc}.
	 */
	public static String unavailableReason() {
		if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
			return "not Linux";
		}
		if (!Command.onPath("ip") || !Command.onPath("tc")) {
			return "the iproute2 commands ip and tc are not on the PATH";
		}
		Command uid = Command.run("id", "-u");
		if (!uid.succeeded() || !uid.output().equals("0")) {
			return "not running as root (uid " + uid.output() + ")";
		}
		return null;
	}

	/**
	 * Creates the namespace, the veth pair and the addresses; undone by {@link #close()}
	 * (or at JVM exit).
	 */
	public static NetworkNamespace create() {
		Random random = ThreadLocalRandom.current();
		String existing = Command.run("ip", "-4", "-o", "addr", "show").output();
		for (int tries = 0; tries < 20; tries++) {
			NetworkNamespace namespace = new NetworkNamespace(String.format("%06x", random.nextInt(1 << 24)),
					random.nextInt(1 << 14));
			if (!existing.contains(namespace.hostAddress + "/")) {
				namespace.setUp();
				return namespace;
			}
		}
		throw new IllegalStateException("no free /30 in 10.231.0.0/16");
	}

	private void setUp() {
		Runtime.getRuntime().addShutdownHook(this.cleanupOnExit);
		try {
			Command.check("ip", "netns", "add", this.name);
			Command.check("ip", "link", "add", this.hostDevice, "type", "veth", "peer", "name", this.peerDevice);
			Command.check("ip", "link", "set", this.peerDevice, "netns", this.name);
			Command.check("ip", "addr", "add", this.hostAddress + "/30", "dev", this.hostDevice);
			Command.check("ip", "link", "set", this.hostDevice, "up");
			inside("ip", "addr", "add", this.peerAddress + "/30", "dev", this.peerDevice);
			inside("ip", "link", "set", this.peerDevice, "up");
			inside("ip", "link", "set", "lo", "up");
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	public String name() {
		return this.name;
	}

	/** The address inside the namespace, reachable only through the veth pair. */
	public String peerAddress() {
		return this.peerAddress;
	}

	/** Runs a command inside the namespace. */
	public String inside(String... command) {
		String[] full = new String[command.length + 4];
		full[0] = "ip";
		full[1] = "netns";
		full[2] = "exec";
		full[3] = this.name;
		System.arraycopy(command, 0, full, 4, command.length);
		return Command.check(full);
	}

	/** The command prefix that runs a process inside the namespace. */
	public String[] execPrefix() {
		return new String[] { "ip", "netns", "exec", this.name };
	}

	/**
	 * Replaces the root qdisc on both ends of the link (so the impairment applies in both
	 * directions), e.g. {@code "netem", "delay", "100ms"}; returns the error instead of
	 * throwing when the kernel refuses it.
	 */
	public Command impair(String... qdisc) {
		Command host = Command
			.run(concat(new String[] { "tc", "qdisc", "replace", "dev", this.hostDevice, "root" }, qdisc));
		if (!host.succeeded()) {
			return host;
		}
		return Command.run(concat(new String[] { "ip", "netns", "exec", this.name, "tc", "qdisc", "replace", "dev",
				this.peerDevice, "root" }, qdisc));
	}

	/** Removes any impairment: both ends back to the default qdisc. */
	public void heal() {
		Command.run("tc", "qdisc", "del", "dev", this.hostDevice, "root");
		Command.run("ip", "netns", "exec", this.name, "tc", "qdisc", "del", "dev", this.peerDevice, "root");
	}

	private static String[] concat(String[] first, String[] second) {
		String[] all = new String[first.length + second.length];
		System.arraycopy(first, 0, all, 0, first.length);
		System.arraycopy(second, 0, all, first.length, second.length);
		return all;
	}

	private void delete() {
		Command.run("ip", "link", "del", this.hostDevice);
		Command.run("ip", "netns", "del", this.name);
	}

	@Override
	public void close() {
		delete();
		try {
			Runtime.getRuntime().removeShutdownHook(this.cleanupOnExit);
		}
		catch (IllegalStateException ex) {
			// already shutting down: the hook runs anyway
		}
	}

}
