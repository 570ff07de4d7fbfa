package io.connectionmanager.core.internal.inbound;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

import io.connectionmanager.core.config.SilenceSettings;
import io.connectionmanager.core.runtime.Cancellable;
import io.connectionmanager.core.runtime.ConnectionExecutor;

import org.springframework.scheduling.support.CronExpression;

/**
 * The data-silence watchdog of a CONNECTED connection: it fires when no application
 * message arrived for {@code max-silence}, counting only the seconds that match the
 * {@code silence-schedule} (all of them without one); when a window of matching seconds
 * opens, the count starts again. One re-arming timer; a message only updates a field.
 * After it fires it stays quiet until data flows again, so a long silence is reported
 * once. Confined to the connection's executor.
 */
public final class SilenceWatchdog {

	private final SilenceSettings settings;

	private final ConnectionExecutor executor;

	private final Consumer<Duration> onSilence;

	private final long maxNanos;

	private Cancellable timer = Cancellable.NONE;

	private boolean running;

	private long lastDataNanos;

	private long reportedAtData = Long.MIN_VALUE;

	/**
	 * @param onSilence told, on the executor, how long the feed has been silent
	 */
	public SilenceWatchdog(SilenceSettings settings, ConnectionExecutor executor, Consumer<Duration> onSilence) {
		this.settings = settings;
		this.executor = executor;
		this.onSilence = onSilence;
		this.maxNanos = settings.enabled() ? settings.maxSilence().toNanos() : 0;
	}

	/** The session is CONNECTED: silence counts from now. */
	public void start() {
		stop();
		if (!this.settings.enabled()) {
			return;
		}
		this.running = true;
		this.lastDataNanos = this.executor.nanoTime();
		this.reportedAtData = Long.MIN_VALUE;
		arm(this.maxNanos);
	}

	public void stop() {
		this.running = false;
		this.timer.cancel();
		this.timer = Cancellable.NONE;
	}

	/** An application message arrived (never a pong). */
	public void onData() {
		this.lastDataNanos = this.executor.nanoTime();
	}

	private void arm(long delayNanos) {
		this.timer = this.executor.schedule(this::check, Duration.ofNanos(Math.max(0, delayNanos)));
	}

	private void check() {
		if (!this.running) {
			return;
		}
		long now = this.executor.nanoTime();
		long silentSince = (this.settings.schedule() != null) ? countedSince(now) : this.lastDataNanos;
		if (silentSince == Long.MAX_VALUE) {
			return; // the schedule never matches again
		}
		long silent = now - silentSince;
		if (silent < this.maxNanos) {
			arm(silentSince + this.maxNanos - now);
			return;
		}
		arm(this.maxNanos);
		if (this.reportedAtData != this.lastDataNanos) {
			this.reportedAtData = this.lastDataNanos;
			this.onSilence.accept(Duration.ofNanos(silent));
		}
	}

	/**
	 * Since when silence counts (nanoTime): the later of the last message and the start
	 * of the current window, or a future window's start when outside one. Only the last
	 * {@code max-silence} is walked, one matching second at a time.
	 */
	private long countedSince(long now) {
		CronExpression schedule = this.settings.schedule();
		Instant wallNow = this.executor.clock().instant();
		ZonedDateTime second = wallNow.atZone(this.settings.zone()).truncatedTo(ChronoUnit.SECONDS);
		Instant lastData = wallNow.minusNanos(now - this.lastDataNanos);
		Instant from = lastData.isAfter(wallNow.minusNanos(this.maxNanos)) ? lastData
				: wallNow.minusNanos(this.maxNanos);
		ZonedDateTime cursor = from.atZone(this.settings.zone()).truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
		Instant windowStart = null;
		while (cursor.isBefore(second)) {
			ZonedDateTime match = schedule.next(cursor);
			if (match == null) {
				return Long.MAX_VALUE;
			}
			if (match.isAfter(second)) {
				// Outside a window now: silence counts from the next window's opening.
				return now + Duration.between(wallNow, match.toInstant()).toNanos();
			}
			if (!match.equals(cursor.plusSeconds(1))) {
				windowStart = match.toInstant();
			}
			cursor = match;
		}
		Instant since = (windowStart != null && windowStart.isAfter(lastData)) ? windowStart : lastData;
		return now - Duration.between(since, wallNow).toNanos();
	}

}
