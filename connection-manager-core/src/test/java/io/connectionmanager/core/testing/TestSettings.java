package io.connectionmanager.core.testing;

import java.time.Duration;

import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.ReconnectSettings;

/**
 * Settings for end-to-end tests of handler behaviour: a quick, unjittered, unlimited
 * reconnect and no heartbeat or breaker, so that only the behaviour under test decides
 * when a connection drops or comes back.
 */
public final class TestSettings {

	private TestSettings() {
	}

	/**
	 * @param url the server's URL
	 * @param initialDelay the first reconnect delay (doubling up to {@code maxDelay})
	 */
	public static ConnectionSettings.Builder quickReconnect(String name, String url, Duration initialDelay,
			Duration maxDelay) {
		return ConnectionSettings.builder(name)
			.url(url)
			.connectTimeout(Duration.ofSeconds(2))
			.reconnect(new ReconnectSettings(initialDelay, maxDelay, 2.0, Jitter.NONE, -1, Duration.ofSeconds(30)))
			.heartbeat(HeartbeatSettings.disabled())
			.circuitBreaker(CircuitBreakerSettings.disabled());
	}

}
