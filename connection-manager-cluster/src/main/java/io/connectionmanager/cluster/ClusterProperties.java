package io.connectionmanager.cluster;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Process-wide settings of exclusive connections ({@code connection-manager.cluster.*}).
 *
 * @param lease Time-to-live of a held role in the lock store. The holder renews it every
 * lease/10 and closes its connection when no renewal was confirmed for lease/2; a standby
 * can take the role over once it has expired.
 * @param takeoverDelay How long a replica that was just granted a role waits before it
 * connects, so that a previous holder that lost the role has closed its connection. Not
 * set by default: lease/4.
 * @param replicaId This replica's name, shown as the holder of the connections it runs.
 * Not set by default: the host name and process id.
 */
@ConfigurationProperties(ClusterProperties.PREFIX)
public record ClusterProperties(@DefaultValue("10s") Duration lease, Duration takeoverDelay, String replicaId) {

	/** The prefix of these keys. */
	public static final String PREFIX = "connection-manager.cluster";

	/** The timings derived from the lease. */
	public LeaseTimings timings() {
		return LeaseTimings.of(this.lease, this.takeoverDelay);
	}

}
