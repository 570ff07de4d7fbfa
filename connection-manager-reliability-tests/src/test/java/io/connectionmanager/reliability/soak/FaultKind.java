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
	KILL(300, 2000, true) {
		@Override
		void inject(TestWebSocketServer server, FaultInjectingProxy proxy) {
			server.kill();
		}

		@Override
		void clear(TestWebSocketServer server, FaultInjectingProxy proxy) {
			server.restart();
		}
	},

	/** A middlebox resets the connection. */
	RESET(0, 0, true) {
		@Override
		void inject(TestWebSocketServer server, FaultInjectingProxy proxy) {
			proxy.reset();
		}

		@Override
		void clear(TestWebSocketServer server, FaultInjectingProxy proxy) {
		}
	},

	/** Packets vanish, sockets stay open: only the heartbeat can tell. */
	BLACKHOLE(2000, 3500, true) {
		@Override
		void inject(TestWebSocketServer server, FaultInjectingProxy proxy) {
			proxy.blackhole();
		}

		@Override
		void clear(TestWebSocketServer server, FaultInjectingProxy proxy) {
			proxy.heal();
		}
	},

	/** The server hangs (a stopped process): TCP open, nothing read or answered. */
	FREEZE(2000, 3500, true) {
		@Override
		void inject(TestWebSocketServer server, FaultInjectingProxy proxy) {
			server.freeze();
		}

		@Override
		void clear(TestWebSocketServer server, FaultInjectingProxy proxy) {
			server.unfreeze();
		}
	},

	/** The server restarts (close 1012) and answers upgrades with 503 for a while. */
	UPGRADE_503(500, 2500, true) {
		@Override
		void inject(TestWebSocketServer server, FaultInjectingProxy proxy) {
			server.rejectUpgrades(503);
			server.closeAll(1012, "service restart");
		}

		@Override
		void clear(TestWebSocketServer server, FaultInjectingProxy proxy) {
			server.acceptUpgrades();
		}
	},

	/**
	 * A slow, high-latency link: 150 ms each way and 16 KB/s. Not a failure: the
	 * connection should ride it out.
	 */
	SLOW_LINK(2000, 4000, false) {
		@Override
		void inject(TestWebSocketServer server, FaultInjectingProxy proxy) {
			proxy.delay(Duration.ofMillis(150));
			proxy.throttle(16_000);
		}

		@Override
		void clear(TestWebSocketServer server, FaultInjectingProxy proxy) {
			proxy.heal();
		}
	};

	private final int minHoldMillis;

	private final int maxHoldMillis;

	private final boolean breaksTheConnection;

	FaultKind(int minHoldMillis, int maxHoldMillis, boolean breaksTheConnection) {
		this.minHoldMillis = minHoldMillis;
		this.maxHoldMillis = maxHoldMillis;
		this.breaksTheConnection = breaksTheConnection;
	}

	abstract void inject(TestWebSocketServer server, FaultInjectingProxy proxy);

	abstract void clear(TestWebSocketServer server, FaultInjectingProxy proxy);

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

}
