package io.connectionmanager.test.proxy;

import io.netty.buffer.ByteBuf;

import java.time.Duration;
import java.util.Random;

/**
 * The faults a {@link FaultInjectingProxy} currently injects. Set by the test from any
 * thread and read by the event loops for every chunk, so a change applies at once to open
 * and new connections.
 */
final class Faults {

	volatile boolean blackhole;

	volatile boolean refuseNewConnections;

	volatile long delayNanos;

	volatile long bytesPerSecond;

	private volatile boolean corrupting;

	private long corruptRemaining;

	private double corruptProbability;

	private Random random;

	void delay(Duration delay) {
		if (delay.isNegative()) {
			throw new IllegalArgumentException("negative delay");
		}
		delayNanos = delay.toNanos();
	}

	void throttle(long bytesPerSecond) {
		if (bytesPerSecond <= 0) {
			throw new IllegalArgumentException("bytesPerSecond must be positive");
		}
		this.bytesPerSecond = bytesPerSecond;
	}

	synchronized void corruptNext(int bytes) {
		corruptRemaining += bytes;
		corrupting = true;
	}

	synchronized void corrupt(double probability, long seed) {
		if (probability < 0 || probability > 1) {
			throw new IllegalArgumentException("probability must be in [0, 1]");
		}
		corruptProbability = probability;
		random = new Random(seed);
		corrupting = true;
	}

	synchronized void heal() {
		blackhole = false;
		refuseNewConnections = false;
		delayNanos = 0;
		bytesPerSecond = 0;
		corruptRemaining = 0;
		corruptProbability = 0;
		random = null;
		corrupting = false;
	}

	/**
	 * Flips (XOR 0xFF) the bytes of {@code buf} chosen by the current corruption
	 * settings, in place.
	 */
	void corrupt(ByteBuf buf) {
		if (!corrupting) {
			return;
		}
		synchronized (this) {
			for (int i = buf.readerIndex(); i < buf.writerIndex(); i++) {
				boolean flip;
				if (corruptRemaining > 0) {
					corruptRemaining--;
					flip = true;
				}
				else {
					flip = random != null && random.nextDouble() < corruptProbability;
				}
				if (flip) {
					buf.setByte(i, buf.getByte(i) ^ 0xFF);
				}
			}
			corrupting = corruptRemaining > 0 || random != null;
		}
	}

}
