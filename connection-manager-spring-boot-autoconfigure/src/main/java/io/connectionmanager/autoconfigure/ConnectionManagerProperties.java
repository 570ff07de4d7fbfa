package io.connectionmanager.autoconfigure;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the managed connections, bound once per application context (by
 * {@link ManagedConnectionRegistrar}, which needs it before any bean exists) and
 * registered as this bean.
 *
 * <pre>
 * connection-manager:
 *   defaults:            # merged under every connection
 *     heartbeat: { interval: 15s }
 *   connections:
 *     market-data:       # bean name, health key and metric tag
 *       url: wss://feed.example.com/v1/stream
 * </pre>
 *
 * @param enabled Whether connection management is enabled at all (master switch).
 * @param defaults Values merged under every connection: a connection's own value wins,
 * then this one, then the built-in default.
 * @param connections Connections by name. The name is the bean name (inject with
 * {@code @Qualifier("name")}), the health component and the metric tag.
 * @param runtime The threads and limits shared by every connection.
 * @param logging What is logged about connections.
 */
@ConfigurationProperties(ConnectionManagerProperties.PREFIX)
public record ConnectionManagerProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue @NestedConfigurationProperty ConnectionProperties defaults,
		@DefaultValue Map<String, ConnectionProperties> connections, @DefaultValue Runtime runtime,
		@DefaultValue Logging logging) {

	/** The prefix of every key. */
	public static final String PREFIX = "connection-manager";

	/**
	 * The threads and limits shared by every connection. Unset values take the core's
	 * defaults ({@code ConnectionRuntime.Builder}).
	 *
	 * @param threads Event-loop threads shared by all connections (I/O, timers and state
	 * changes). Defaults to the number of available processors; does not need to grow
	 * with the number of connections.
	 * @param maxConnectsInFlight Connect attempts (TCP, TLS and WebSocket upgrade) under
	 * way at once across all connections; more wait for a free place, so that thousands
	 * of connections started together do not time each other out.
	 * @param handlerSpin How long one idle handler thread spins before it parks, so that
	 * the next message reaches its handler without waking a thread (tens of microseconds
	 * saved). Spins only while spinning finds work; zero turns it off.
	 * @param loopSpin How long an event loop keeps polling after its last work before it
	 * blocks, so that a send from a handler is written without waking the loop. Spins
	 * only while spinning finds work; zero turns it off.
	 */
	public record Runtime(Integer threads, Integer maxConnectsInFlight, Duration handlerSpin, Duration loopSpin) {

	}

	/**
	 * What is logged about connections.
	 *
	 * @param outageSummaryInterval How often, at most, one summary of the connections
	 * that are down is logged during an outage (each loss and each recovery is logged
	 * once).
	 */
	public record Logging(Duration outageSummaryInterval) {

	}

}
