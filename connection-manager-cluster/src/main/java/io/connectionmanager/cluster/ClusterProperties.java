package io.connectionmanager.cluster;

import java.time.Duration;

import io.connectionmanager.cluster.membership.JdbcMembership;
import io.connectionmanager.cluster.membership.RedisMembership;
import io.connectionmanager.cluster.resume.JdbcResumeStore;
import io.connectionmanager.cluster.resume.RedisResumeStore;

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
 * @param resume Where the shared resume stores (resume.store: redis or jdbc) keep
 * positions.
 * @param membership Where the record of live replicas (for cluster.balance) is kept,
 * beside the locks.
 */
@ConfigurationProperties(ClusterProperties.PREFIX)
public record ClusterProperties(@DefaultValue("10s") Duration lease, Duration takeoverDelay, String replicaId,
		@DefaultValue Resume resume, @DefaultValue Membership membership) {

	/**
	 * Where the record of live replicas is kept.
	 *
	 * @param redisKeyPrefix Prefix of each replica's Redis key (with a TTL of one lease).
	 * @param jdbcTable Table of the replicas' rows.
	 * @param jdbcCreateTable Whether the table is created when it does not exist (CREATE
	 * TABLE IF NOT EXISTS); turn off to create it yourself.
	 */
	public record Membership(@DefaultValue(RedisMembership.DEFAULT_PREFIX) String redisKeyPrefix,
			@DefaultValue(JdbcMembership.DEFAULT_TABLE) String jdbcTable,
			@DefaultValue("true") boolean jdbcCreateTable) {

	}

	/**
	 * Where the shared resume stores keep positions.
	 *
	 * @param redisKeyPrefix Prefix of the Redis key of each connection's position.
	 * @param jdbcTable Table of the jdbc store (one row per connection).
	 * @param jdbcCreateTable Whether the jdbc store creates its table when it does not
	 * exist (CREATE TABLE IF NOT EXISTS); turn off to create it yourself.
	 */
	public record Resume(@DefaultValue(RedisResumeStore.DEFAULT_PREFIX) String redisKeyPrefix,
			@DefaultValue(JdbcResumeStore.DEFAULT_TABLE) String jdbcTable,
			@DefaultValue("true") boolean jdbcCreateTable) {

	}

	/** The prefix of these keys. */
	public static final String PREFIX = "connection-manager.cluster";

	/** The timings derived from the lease. */
	public LeaseTimings timings() {
		return LeaseTimings.of(this.lease, this.takeoverDelay);
	}

}
