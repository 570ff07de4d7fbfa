package io.connectionmanager.cluster.resume;

import java.time.Duration;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Resume positions in Redis, one string key per connection: {@code <prefix><connection>}
 * holding {@code seq:<n>} or {@code token:<t>}, with no expiry.
 */
public class RedisResumeStore extends SharedResumeStore {

	/** The default key prefix. */
	public static final String DEFAULT_PREFIX = "connection-manager:resume:";

	private final StringRedisTemplate redis;

	private final String prefix;

	/**
	 * @param redis the template to use
	 * @param prefix prepended to the connection's name to make its key
	 * @param flushInterval zero writes through; otherwise the least time between writes
	 */
	public RedisResumeStore(StringRedisTemplate redis, String prefix, Duration flushInterval) {
		super("redis", flushInterval);
		this.redis = redis;
		this.prefix = prefix;
	}

	@Override
	protected String read(String connection) {
		return this.redis.opsForValue().get(this.prefix + connection);
	}

	@Override
	protected void write(String connection, String position) {
		this.redis.opsForValue().set(this.prefix + connection, position);
	}

}
