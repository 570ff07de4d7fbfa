package io.connectionmanager.cluster;

import java.time.Duration;

/**
 * The time arithmetic of exclusive connections, from the lease (the role's time-to-live
 * in the lock store), written down in one place.
 * <ul>
 * <li>Every {@code tick} (lease/10) the holder renews each role it holds and a standby
 * tries each role it does not.</li>
 * <li>A holder that has had no renewal confirmed for {@code fenceAfter} (lease/2, counted
 * from when the last confirmed renewal was sent, checked every {@code watch}, lease/20)
 * closes the connection by itself. The role cannot be granted to another replica before
 * the lease expired, a full lease after that renewal was sent: the lapsed holder starts
 * closing at least lease/2 - lease/20 before anyone else may hold the role.</li>
 * <li>A replica granted a role waits {@code takeoverDelay} (lease/4 unless set) before it
 * connects. That covers a holder that learns of its loss only at its next renewal (the
 * lock store lost its keys, e.g. a restarted Redis): it closes within one tick, before
 * the new holder connects.</li>
 * </ul>
 *
 * @param lease the role's time-to-live in the lock store
 * @param tick how often roles are renewed and tried
 * @param fenceAfter how long a holder may go without a confirmed renewal
 * @param watch how often the holder checks for that
 * @param takeoverDelay how long a new holder waits before it connects
 */
public record LeaseTimings(Duration lease, Duration tick, Duration fenceAfter, Duration watch, Duration takeoverDelay) {

	/** Below this a loaded machine cannot keep the arithmetic. */
	static final Duration MIN_LEASE = Duration.ofSeconds(1);

	public LeaseTimings {
		if (lease.compareTo(MIN_LEASE) < 0) {
			throw new IllegalArgumentException(
					ClusterProperties.PREFIX + ".lease must be at least " + MIN_LEASE + " (was " + lease + ")");
		}
		if (takeoverDelay.compareTo(tick) <= 0 || takeoverDelay.compareTo(lease) >= 0) {
			throw new IllegalArgumentException(ClusterProperties.PREFIX + ".takeover-delay must be more than lease/10 ("
					+ tick + ") and less than the lease (" + lease + "), was " + takeoverDelay);
		}
	}

	public static LeaseTimings of(Duration lease, Duration takeoverDelay) {
		return new LeaseTimings(lease, lease.dividedBy(10), lease.dividedBy(2), lease.dividedBy(20),
				(takeoverDelay != null) ? takeoverDelay : lease.dividedBy(4));
	}

	/** Lock-store operations per second for 1,000 exclusive connections, per replica. */
	public double operationsPerSecondPerThousand() {
		return 1000.0 * 1000 / this.tick.toMillis();
	}

}
