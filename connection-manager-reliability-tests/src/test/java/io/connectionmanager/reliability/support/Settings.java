package io.connectionmanager.reliability.support;

import java.net.URI;
import java.time.Duration;

import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.config.ResumeSettings;

/**
 * Connection settings scaled down for tests: fast retries, short timeouts, no breaker
 * unless a test wants one.
 */
public final class Settings {

	private Settings() {
	}

	public static ReconnectSettings fastReconnect() {
		return new ReconnectSettings(Duration.ofMillis(20), Duration.ofMillis(200), 2.0, Jitter.FULL, -1,
				Duration.ofSeconds(30));
	}

	public static ConnectionSettings.Builder fast(String name, URI url) {
		return ConnectionSettings.builder(name)
			.url(url.toString())
			.connectTimeout(Duration.ofSeconds(1))
			.authenticationTimeout(Duration.ofSeconds(2))
			.shutdownTimeout(Duration.ofSeconds(2))
			.reconnect(fastReconnect())
			.heartbeat(HeartbeatSettings.disabled())
			.circuitBreaker(CircuitBreakerSettings.disabled());
	}

	/**
	 * A numbered stream resumed with {@code ?resume-from=N}, the way
	 * {@code SequencedStreamServer} expects.
	 */
	public static ResumeSettings resumeByQuery() {
		return ResumeSettings.inMemory(ResumeSettings.Carrier.QUERY_PARAMETER, "resume-from");
	}

	public static HeartbeatSettings heartbeat(long intervalMillis, long timeoutMillis) {
		return new HeartbeatSettings(true, Duration.ofMillis(intervalMillis), Duration.ofMillis(timeoutMillis));
	}

}
