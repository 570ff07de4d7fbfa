package io.connectionmanager.reliability.soak;

import java.util.Random;
import java.util.Locale;
import java.time.Duration;

import io.connectionmanager.test.proxy.FaultInjectingProxy;
import io.connectionmanager.test.server.TestWebSocketServer;

/**
 * The faults of the soak, each with how it is injected and cleared and how long it may
 * last (the schedule picks a hold time in the range). Blackhole and freeze last longer
 * than the heartbeat's detection bound, so that the heartbeat is what notices them.
 */
enum FaultKind {

	/**
	 * The server process crashes (RST to every client) and comes back on the same port.
	 */
	KILL(300, 2000, true, (server, proxy) -> server.kill(), (server, proxy) -> server.restart()),

	/** A middlebox resets the connection. */
	RESET(0, 0, true, (server, proxy) -> proxy.reset(), (server, proxy) -> {
	}),

	/** Packets vanish, sockets stay open: only the heartbeat can tell. */
	BLACKHOLE(2000, 3500, true, (server, proxy) -> proxy.blackhole(), (server, proxy) -> proxy.heal()),

	/** The server hangs (a stopped process): TCP open, nothing read or answered. */
	FREEZE(2000, 3500, true, (server, proxy) -> server.freeze(), (server, proxy) -> server.unfreeze()),

	/** The server restarts (close 1012) and answers upgrades with 503 for a while. */
	UPGRADE_503(500, 2500, true, (server, proxy) -> {
		server.rejectUpgrades(503);
		server.closeAll(1012, "service restart");
	}, (server, proxy) -> server.acceptUpgrades()),

	/**
	 * A slow, high-latency link: 150 ms each way and 16 KB/s. Not a failure: the
	 * connection should ride it out.
	 */
	SLOW_LINK(2000, 4000, false, (server, proxy) -> {
		proxy.delay(Duration.ofMillis(150));
		proxy.throttle(16_000);
	}, (server, proxy) -> proxy.heal());

	private final int minHoldMillis;

	private final int maxHoldMillis;

	private final boolean breaksTheConnection;

	private final Action inject;

	private final Action clear;

	FaultKind(int minHoldMillis, int maxHoldMillis, boolean breaksTheConnection, Action inject, Action clear) {
		this.minHoldMillis = minHoldMillis;
		this.maxHoldMillis = maxHoldMillis;
		this.breaksTheConnection = breaksTheConnection;
		this.inject = inject;
		this.clear = clear;
	}

	void inject(TestWebSocketServer server, FaultInjectingProxy proxy) {
		this.inject.apply(server, proxy);
	}

	void clear(TestWebSocketServer server, FaultInjectingProxy proxy) {
		this.clear.apply(server, proxy);
	}

	int holdMillis(Random random) {
		return this.minHoldMillis + ((this.maxHoldMillis > this.minHoldMillis)
				? random.nextInt(this.maxHoldMillis - this.minHoldMillis + 1) : 0);
	}

	/**
	 * Whether the connection is expected to be lost (and so to be detected and
	 * recovered).
	 */
	boolean breaksTheConnection() {
		return this.breaksTheConnection;
	}

	String jsonName() {
		return name().toLowerCase(Locale.ROOT);
	}

	@FunctionalInterface
	private interface Action {

		void apply(TestWebSocketServer server, FaultInjectingProxy proxy);

	}

}
