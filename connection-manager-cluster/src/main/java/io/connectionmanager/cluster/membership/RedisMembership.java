package io.connectionmanager.cluster.membership;

import java.time.Duration;

import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Membership in Redis: one key per replica, {@code <prefix><replicaId>}, expiring after
 * the TTL unless refreshed; live replicas are the keys that remain ({@code SCAN}).
 */
public class RedisMembership implements Membership {

	/** The default key prefix. */
	public static final String DEFAULT_PREFIX = "connection-manager:replica:";

	private final StringRedisTemplate redis;

	private final String prefix;

	public RedisMembership(StringRedisTemplate redis, String prefix) {
		this.redis = redis;
		this.prefix = prefix;
	}

	@Override
	public void heartbeat(String replicaId, Duration ttl) {
		this.redis.opsForValue().set(this.prefix + replicaId, "alive", ttl);
	}

	@Override
	public int liveReplicas() {
		int live = 0;
		try (Cursor<String> keys = this.redis
			.scan(ScanOptions.scanOptions().match(this.prefix + "*").count(100).build())) {
			while (keys.hasNext()) {
				keys.next();
				live++;
			}
		}
		return live;
	}

	@Override
	public void leave(String replicaId) {
		this.redis.delete(this.prefix + replicaId);
	}

}
