package io.connectionmanager.core.internal.heartbeat;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.runtime.Cancellable;
import io.connectionmanager.core.runtime.ConnectionExecutor;

/**
 * Detects dead peers on a CONNECTED connection. One re-arming timer per connection: it
 * wakes when the link has been idle (nothing sent or nothing received) for the interval,
 * sends a ping, and declares the peer dead if nothing at all arrives within the timeout.
 * Sends and receipts only update timestamps, so the message path pays no scheduling cost.
 * Confined to the connection's executor except {@link #onSent()}.
 */
public final class HeartbeatMonitor {

	private final HeartbeatSettings settings;

	private final ConnectionExecutor executor;

	private final Runnable onDead;

	private final long intervalNanos;

	private final long timeoutNanos;

	private BooleanSupplier pinger;

	private Cancellable timer = Cancellable.NONE;

	private boolean running;

	private long lastReceivedNanos;

	private volatile long lastSentNanos;

	private long pingSentNanos;

	private boolean awaitingAnswer;

	private volatile Duration lastRoundTrip;

	/**
	 * @param settings interval and timeout
	 * @param executor the connection's executor (time source and timer)
	 * @param onDead called on the executor when a ping went unanswered
	 */
	public HeartbeatMonitor(HeartbeatSettings settings, ConnectionExecutor executor, Runnable onDead) {
		this.settings = settings;
		this.executor = executor;
		this.onDead = onDead;
		this.intervalNanos = settings.enabled() ? settings.interval().toNanos() : 0;
		this.timeoutNanos = settings.enabled() ? settings.timeout().toNanos() : 0;
	}

	/**
	 * Starts monitoring a freshly CONNECTED session.
	 * @param pinger sends a ping and returns whether one could be sent (if not, any
	 * inbound traffic still counts)
	 */
	public void start(BooleanSupplier pinger) {
		stop();
		if (!this.settings.enabled()) {
			return;
		}
		this.pinger = pinger;
		this.running = true;
		long now = this.executor.nanoTime();
		this.lastReceivedNanos = now;
		this.lastSentNanos = now;
		arm(this.intervalNanos);
	}

	public void stop() {
		this.running = false;
		this.awaitingAnswer = false;
		this.timer.cancel();
		this.timer = Cancellable.NONE;
	}

	/** Any inbound traffic: a message, a ping from the peer, a pong. */
	public void onInbound() {
		this.lastReceivedNanos = this.executor.nanoTime();
	}

	/** A pong: also measures the round trip. */
	public void onPong() {
		long now = this.executor.nanoTime();
		this.lastReceivedNanos = now;
		if (this.awaitingAnswer) {
			this.lastRoundTrip = Duration.ofNanos(now - this.pingSentNanos);
		}
	}

	/** An outbound message; may be called from any thread. */
	public void onSent() {
		this.lastSentNanos = this.executor.nanoTime();
	}

	/** The last measured ping round trip, or {@code null}. */
	public Duration lastRoundTrip() {
		return this.lastRoundTrip;
	}

	private void arm(long delayNanos) {
		this.timer = this.executor.schedule(this::check, Duration.ofNanos(Math.max(0, delayNanos)));
	}

	private void check() {
		if (!this.running) {
			return;
		}
		long now = this.executor.nanoTime();
		if (this.awaitingAnswer) {
			if (this.lastReceivedNanos - this.pingSentNanos >= 0) {
				this.awaitingAnswer = false;
			}
			else if (now - this.pingSentNanos >= this.timeoutNanos) {
				this.running = false;
				this.onDead.run();
				return;
			}
			else {
				arm(this.pingSentNanos + this.timeoutNanos - now);
				return;
			}
		}
		long idleSince = Math.min(this.lastSentNanos, this.lastReceivedNanos);
		long dueAt = idleSince + this.intervalNanos;
		if (now - dueAt >= 0) {
			this.pingSentNanos = now;
			this.awaitingAnswer = true;
			this.lastSentNanos = now;
			this.pinger.getAsBoolean();
			arm(this.timeoutNanos);
		}
		else {
			arm(dueAt - now);
		}
	}

}
